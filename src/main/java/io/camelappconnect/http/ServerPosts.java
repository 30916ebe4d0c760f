package io.camelappconnect.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.camelappconnect.http.ServerQueue.Sender;
import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.store.MessageStore.Kept;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One post to the web server at a time, for {@link ServerQueue}: a batch or one message, and what the server's answer
 * means for it (taken, refused for good, or failed and to be tried again). Keeps whether the server answers, for
 * health, and says an outage once, not once a try. Apart from the queue, which keeps the order and what waits.
 */
final class ServerPosts {

    private static final Logger LOG = LoggerFactory.getLogger(ServerQueue.class); // its lines are the queue's
    private static final long WARN_EVERY_NS = 60_000_000_000L;

    private enum Outcome { TAKEN, REFUSED, FAILED }

    private final String name;
    private final String url;
    private final String batchPath;
    private final Runnable onRefused;
    private final Causes.Keys keys;
    private final AtomicLong connects = new AtomicLong();
    private volatile boolean reachable;
    private volatile String lastCause = "not reached yet";
    private long lastWarningAt;

    ServerPosts(String name, String url, String batchPath, Runnable onRefused, Causes.Keys keys) {
        this.name = name;
        this.url = url;
        this.batchPath = batchPath;
        this.onRefused = onRefused;
        this.keys = keys;
    }

    boolean reachable() {
        return reachable;
    }

    long connects() {
        return connects.get();
    }

    String lastCause() {
        return lastCause;
    }

    /**
     * Posts the batch as one request. A batch the server refuses with a 4xx goes again one message at a time, so that
     * only what it refuses for good is dropped.
     *
     * @return how many of the batch, from its start, the server is done with (taken, or refused for good)
     */
    int post(Sender route, List<Kept> batch) {
        Outcome outcome = batch.size() == 1 ? post(route, batch.get(0).topic(), batch.get(0).payload(), 1)
                : post(route, batchPath, jsonArray(batch), batch.size());
        if (outcome == Outcome.TAKEN) {
            return batch.size();
        }
        if (outcome == Outcome.FAILED) {
            return 0;
        }
        if (batch.size() == 1) {
            onRefused.run();
            return 1;
        }
        for (int i = 0; i < batch.size(); i++) { // which of them it refuses
            outcome = post(route, batch.get(i).topic(), batch.get(i).payload(), 1);
            if (outcome == Outcome.FAILED) {
                return i;
            }
            if (outcome == Outcome.REFUSED) {
                onRefused.run();
            }
        }
        return batch.size();
    }

    private Outcome post(Sender route, String path, byte[] body, int messages) {
        try {
            route.post(path, body, messages);
        } catch (Exception e) {
            HttpOperationFailedException answer = answer(e);
            int status = answer == null ? 0 : answer.getStatusCode();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                String said = answer.getResponseBody() == null || answer.getResponseBody().isBlank() ? ""
                        : " (it said: " + abbreviate(answer.getResponseBody()) + ")";
                if (messages == 1) {
                    LOG.warn("{}: the server refused {} with {} {}: dropped, it will not take it{}", name, path, status,
                            answer.getStatusText(), said);
                } else {
                    LOG.warn("{}: the server refused a batch of {} with {} {}{}: posting them one at a time", name,
                            messages, status, answer.getStatusText(), said);
                }
                answered();
                return Outcome.REFUSED;
            }
            failed(path, answer != null ? "answered " + status + " " + answer.getStatusText()
                    : Causes.describeWebServerFailure(e, keys));
            return Outcome.FAILED;
        }
        answered();
        return Outcome.TAKEN;
    }

    private void answered() {
        if (!reachable) {
            reachable = true;
            connects.incrementAndGet();
            lastCause = "";
            LOG.info("{}: the server at {} answers", name, url);
        }
    }

    private void failed(String path, String why) {
        boolean first = reachable || lastWarningAt == 0;
        reachable = false;
        String cause = "posting " + path + " to " + url + ": " + why;
        long now = System.nanoTime();
        // an outage is one WARN, then one a minute or when the cause changes: not a line per try
        if (first || !cause.equals(lastCause) || now - lastWarningAt > WARN_EVERY_NS) {
            LOG.warn("{}: {}: kept on disk (store.dir), tried again with backoff", name, cause);
            lastWarningAt = now;
        }
        lastCause = cause;
    }

    private static HttpOperationFailedException answer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                return h;
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    private static byte[] jsonArray(List<Kept> batch) {
        int length = 1 + batch.size();
        for (Kept k : batch) {
            length += k.payload().length;
        }
        byte[] array = new byte[length];
        int at = 0;
        array[at++] = '[';
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                array[at++] = ',';
            }
            byte[] p = batch.get(i).payload();
            System.arraycopy(p, 0, array, at, p.length);
            at += p.length;
        }
        array[at] = ']';
        return array;
    }
}
