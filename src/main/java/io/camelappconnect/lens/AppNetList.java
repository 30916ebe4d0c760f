package io.camelappconnect.lens;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.request.LoraQueryRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What LENS says of its application networks (behaviour.md 10), asked with {@code lora-query -x appnet ...}: each
 * application accepted, or refused with a WARN said once (not at each read).
 */
final class AppNetList {

    private static final Logger LOG = LoggerFactory.getLogger(AppNetworks.class);

    private final String program;
    private final long timeoutMs;
    /** What was refused of an application, so that the same refusal is not said again at each read. */
    private final Map<String, JsonNode> refused = new ConcurrentHashMap<>();
    private volatile String lastListProblem = "";

    AppNetList(String program, long timeoutMs) {
        this.program = program;
        this.timeoutMs = timeoutMs;
    }

    /**
     * {@code appnet list json}: the applications with a URL, by AppEUI; null when there is no list (a WARN, once for
     * the same problem).
     */
    Map<String, AppNet> read() throws InterruptedException {
        JsonNode list;
        try {
            list = LoraQueryRunner.ask(program, timeoutMs, "appnet", "list", "json");
            if (!list.isArray()) {
                throw new IOException("not a JSON array but " + list.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            String problem = e.getMessage();
            if (!problem.equals(lastListProblem)) { // once, not every minute
                LOG.warn("lora-query -x appnet list json: {}; the application networks stay as they are", problem);
                lastListProblem = problem;
            }
            return null;
        }
        lastListProblem = "";
        Map<String, AppNet> wanted = new LinkedHashMap<>();
        for (JsonNode item : list) {
            AppNet app = accepted(item);
            if (app != null) {
                wanted.put(app.eui(), app);
            }
        }
        return wanted;
    }

    /** {@code appnet get <eui>}: its application, or null (not an application network's: the default app's). */
    AppNet get(String eui) throws InterruptedException {
        JsonNode answer;
        try {
            answer = LoraQueryRunner.ask(program, timeoutMs, "appnet", "get", eui);
        } catch (IOException e) {
            LOG.debug("appnet get {}: {}", eui, e.getMessage());
            return null;
        }
        AppNet app = accepted(answer.isArray() && answer.size() == 1 ? answer.get(0) : answer);
        return app != null && app.eui().equals(eui) ? app : null;
    }

    /** Route parameters and a connection for an application; null (and a WARN, once) for one that can't be served. */
    private AppNet accepted(JsonNode item) {
        AppNet app;
        try {
            app = AppNet.parse(item);
        } catch (BadMessage e) {
            // the message names the application and the field, never what it holds (a password, a key)
            refuse(String.valueOf(item), item, "application network refused: " + e.getMessage()
                    + "; its devices go to the default app");
            return null;
        }
        if (app.url().isEmpty()) {
            return null; // served by the default app, as in MultiTech's program
        }
        return app;
    }

    /** A WARN, unless the same was said of this very item before. */
    void refuse(String key, JsonNode item, String message) {
        if (!item.equals(refused.put(key, item))) {
            LOG.warn(message);
        }
    }

    /** The application is served: a refusal of it, should it come again, is said again. */
    void served(String eui) {
        refused.remove(eui);
    }
}
