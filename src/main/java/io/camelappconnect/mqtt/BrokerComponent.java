package io.camelappconnect.mqtt;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.component.paho.PahoComponent;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A camel-paho component bound to one broker over one connection ({@link SharedMqttClient}): routes name it by
 * its registry name ({@code lns:} or {@code cloud:}) instead of {@code paho:}. It connects when Camel starts it,
 * retries with backoff and jitter until the broker answers (Paho does not retry a first connect, and its own
 * reconnect has no jitter), reconnects the same way after a loss, and disconnects cleanly when stopped.
 * <p>
 * Annotated with camel-paho's scheme so that Camel binds endpoint options ({@code qos}, {@code retained}) with
 * camel-paho's own configurer, which it looks up by that name.
 */
@org.apache.camel.spi.annotations.Component("paho")
public class BrokerComponent extends PahoComponent {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);
    private static final long DISCONNECT_QUIESCE_MS = 5_000;
    private static final long WARN_EVERY_NS = 60_000_000_000L;

    /** Reconnect pacing: first delay, upper bound, both in milliseconds. */
    public record Backoff(long initialMs, long maxMs) {
        long delay(int failures) {
            long base = Math.min(maxMs, initialMs << Math.min(failures, 20));
            return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1); // jitter: 50-100 %
        }
    }

    private final String name;
    private final String url;
    private final SharedMqttClient client;
    private final MqttConnectOptions options;
    private final Backoff backoff;
    private final ScheduledExecutorService connector;
    private volatile Runnable onConnect = () -> { };
    private volatile boolean stopping;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong connects = new AtomicLong();
    private volatile String lastWarning = "";
    private volatile String lastCause = "not connected yet";
    private volatile long lastWarningAt;

    /** @param store where messages wait while the broker is unreachable; closed when this component stops */
    public BrokerComponent(String name, String url, String clientId, MqttConnectOptions options, Backoff backoff,
                           MessageStore store, int maxPayloadBytes, SharedMqttClient.Delivery delivery)
            throws MqttException {
        this.name = name;
        this.url = url;
        this.options = options;
        this.backoff = backoff;
        this.client = new SharedMqttClient(name, url, clientId, store, maxPayloadBytes, delivery);
        ScheduledThreadPoolExecutor connector = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name + " connect");
            t.setDaemon(true);
            return t;
        });
        connector.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stop cancels the next try
        this.connector = connector;
        // after each connect: first what was kept meanwhile, then the route's `connected` (queued behind it anyway)
        client.onConnect(() -> later(() -> {
            client.drainOutbox();
            onConnect.run();
        }, 0));
        client.onConnectionLost(this::lost);
        getConfiguration().setQos(1);
        setClient(client);
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Connects so far, reconnects included. */
    public long connects() {
        return connects.get();
    }

    /** Messages waiting on disk for this broker. */
    public int waiting() {
        return client.waiting();
    }

    /** Messages kept on disk since the start: only while the broker was away or had not acknowledged them. */
    public long kept() {
        return client.kept();
    }

    /** Messages dropped from the store since the start because it was full. */
    public long dropped() {
        return client.dropped();
    }

    /** Why the last connect failed or the connection went, for the health check. */
    public String lastCause() {
        return lastCause;
    }

    public String name() {
        return name;
    }

    /** Runs after every connect and reconnect, on this connection's own thread (it may publish). */
    public void onConnect(Runnable action) {
        this.onConnect = action;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        later(this::connect, 0);
    }

    @Override
    protected void doStop() throws Exception {
        stopping = true;
        connector.shutdown();
        // a drain under way sends what the stop itself published (`close`) before the connection closes
        if (!connector.awaitTermination(DISCONNECT_QUIESCE_MS, TimeUnit.MILLISECONDS)) {
            connector.shutdownNow();
        }
        client.shutdownWorkers();
        try {
            if (client.isConnected()) {
                client.disconnect(DISCONNECT_QUIESCE_MS); // waits for in-flight publishes such as `close`
                LOG.info("{}: disconnected from {}", name, url);
            }
        } catch (MqttException e) {
            LOG.warn("{}: clean disconnect from {} failed: {}", name, url, e.getMessage());
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.debug("{}: closed while connecting: {}", name, e.getMessage()); // a stop mid-connect
            }
            client.keepUnacknowledged(); // not acknowledged within the quiesce time: sent after the next start
            client.closeStore();
        }
        super.doStop();
    }

    private void connect() {
        if (stopping) {
            return;
        }
        try {
            client.async().connect(options, null, new IMqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    failures.set(0);
                    connects.incrementAndGet();
                    lastCause = "connection lost"; // until the loss is handled and its cause known
                    client.connected(token.getSessionPresent());
                    LOG.info("{}: connected to {} as {} ({})", name, url, client.getClientId(),
                            token.getSessionPresent() ? "session kept" : "new session");
                }

                @Override
                public void onFailure(IMqttToken token, Throwable cause) {
                    retry("cannot connect to " + url, cause);
                }
            });
        } catch (MqttException | RuntimeException e) {
            retry("cannot connect to " + url, e);
        }
    }

    private void lost(Throwable cause) {
        retry("connection to " + url + " lost", cause);
    }

    private void retry(String what, Throwable cause) {
        if (stopping) {
            return;
        }
        int failed = failures.getAndIncrement();
        long delay = backoff.delay(failed);
        String why = what + ": " + Causes.describe(cause);
        lastCause = why;
        long now = System.nanoTime();
        // an outage is one WARN, then one a minute or when the cause changes: not a line per try
        if (failed == 0 || !why.equals(lastWarning) || now - lastWarningAt > WARN_EVERY_NS) {
            LOG.warn("{}: {} (next try in {} ms{})", name, why, delay,
                    failed == 0 ? "" : ", " + failed + " tries so far");
            lastWarning = why;
            lastWarningAt = now;
        } else {
            LOG.debug("{}: {} (next try in {} ms)", name, why, delay);
        }
        later(this::connect, delay);
    }

    /** On this connection's own thread: never Paho's, which must not wait, and never after stop. */
    private void later(Runnable action, long delayMs) {
        try {
            connector.schedule(action, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // stopping: nothing more to connect or announce
        }
    }
}
