package io.camelappconnect.http;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What HTTP mode learns as it runs (behaviour.md 9): the settings the server's answer to {@code init} gives, and the
 * devices heard, whose downlinks the periodic poll asks for. Each piece is a step the routes in
 * {@code routes/http-*.yaml} call by name.
 */
public final class ServerSession {

    /** Exchange property set by {@link #downlinkPoll}: true when a poll is to go now. */
    public static final String POLL_DUE = "downlinkPollDue";

    private static final Logger LOG = LoggerFactory.getLogger(ServerSession.class);
    /** behaviour.md 9: the defaults when the init answer does not say. */
    static final int TIMEOUT_S = 20;
    static final int QUEUE_SIZE = 10;
    static final int DOWNLINK_QUERY_INTERVAL_S = 30;
    /**
     * The bounds of what the init answer may set; beyond them the bound holds and a WARN says so. A request longer than
     * a minute holds the one posting thread while the uplinks behind it wait (a half-open connection would hold it for
     * as long as the server said); a poll rarer than an hour leaves downlinks waiting that long at the server.
     */
    static final int MAX_TIMEOUT_S = 60;
    static final int MAX_DOWNLINK_QUERY_INTERVAL_S = 3600;
    /** Devices remembered for the poll: the most recently heard, a bound a cloud can't push up. */
    private static final int MAX_DEVICES = 10_000;

    private final BooleanSupplier reachable;
    private volatile boolean initialised;
    private volatile int timeoutSeconds = TIMEOUT_S;
    private volatile int downlinkQueryIntervalSeconds = DOWNLINK_QUERY_INTERVAL_S;
    private volatile long lastPollNanos;
    private final Set<String> devices = new LinkedHashSet<>();

    /** @param reachable whether the server answers the posts: no poll goes while it does not */
    public ServerSession(BooleanSupplier reachable) {
        this.reachable = reachable;
    }

    /** Seconds a request may take, as the init answer set it. */
    public int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** Step {@code serverSettings}: reads {@code timeout}, {@code queue_size}, {@code downlink_query_interval}. */
    public Processor settingsFromInit() {
        return exchange -> {
            JsonNode answer = answer(exchange);
            timeoutSeconds = seconds(answer, "timeout", TIMEOUT_S, MAX_TIMEOUT_S);
            downlinkQueryIntervalSeconds = seconds(answer, "downlink_query_interval", DOWNLINK_QUERY_INTERVAL_S,
                    MAX_DOWNLINK_QUERY_INTERVAL_S);
            int queueSize = seconds(answer, "queue_size", QUEUE_SIZE, Integer.MAX_VALUE);
            initialised = true;
            LOG.info("server: init answered: timeout {} s, downlink_query_interval {} s (queue_size {} is not used: what"
                    + " the server has not taken waits on disk, store.maxMessages)", timeoutSeconds,
                    downlinkQueryIntervalSeconds, queueSize);
        };
    }

    /** Step {@code deviceSeen}: remembers header devEui (a join or an uplink) for the downlink poll. */
    public Processor deviceSeen() {
        return exchange -> {
            String dev = exchange.getMessage().getHeader("devEui", String.class);
            synchronized (devices) {
                if (devices.remove(dev) || devices.size() < MAX_DEVICES) {
                    devices.add(dev);
                } else {
                    devices.remove(devices.iterator().next());
                    devices.add(dev);
                }
            }
        };
    }

    /**
     * Step {@code downlinkPoll}: once init was answered and {@code downlink_query_interval} has passed since the last
     * poll, property {@link #POLL_DUE} is true and the body becomes the JSON array of the devices heard; otherwise, and
     * while the server does not answer the posts (they retry meanwhile), it is false (the route stops).
     */
    public Processor downlinkPoll() {
        return exchange -> {
            long now = System.nanoTime();
            if (!initialised || !reachable.getAsBoolean()
                    || lastPollNanos != 0 && now - lastPollNanos < downlinkQueryIntervalSeconds * 1_000_000_000L) {
                exchange.setProperty(POLL_DUE, false);
                return;
            }
            exchange.setProperty(POLL_DUE, true);
            lastPollNanos = now;
            ArrayNode heard = Json.MAPPER.createArrayNode();
            synchronized (devices) {
                devices.forEach(heard::add);
            }
            exchange.getMessage().setBody(Json.bytes(heard));
        };
    }

    /**
     * Step {@code serverDownlinks}: the server's answer to an uplink or a poll as a list of downlink objects to split:
     * an object with a {@code deveui}, or an array of them. Anything else (an empty answer, "OK", {"status":...}) holds
     * no downlink.
     */
    public static Processor downlinks() {
        return exchange -> {
            JsonNode answer = answer(exchange);
            List<JsonNode> downlinks = new ArrayList<>();
            if (answer != null && answer.isArray()) {
                answer.forEach(downlinks::add);
            } else if (answer != null && answer.isObject() && answer.has("deveui")) {
                downlinks.add(answer);
            }
            List<byte[]> bodies = new ArrayList<>(downlinks.size());
            downlinks.forEach(d -> bodies.add(Json.bytes(d)));
            exchange.getMessage().setBody(bodies);
        };
    }

    /** The answer as JSON; null when it is empty or not JSON (a server may answer "OK"). */
    private static JsonNode answer(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            LOG.debug("server: an answer that is not JSON: {}", e.getMessage());
            return null;
        }
    }

    /** The field's whole number from 1 to {@code max}; a larger one (any size) is {@code max}, with a WARN. */
    private static int seconds(JsonNode answer, String field, int otherwise, int max) {
        JsonNode value = answer == null ? null : answer.get(field);
        if (value == null || !value.isNumber() || value.asDouble() < 1) {
            return otherwise;
        }
        if (!value.canConvertToInt() || value.asInt() > max) {
            String said = value.asText().length() <= 20 ? value.asText() : value.asText().substring(0, 20) + "...";
            LOG.warn("server: init answered {} {}: over the bound of {}, {} is used", field, said, max, max);
            return max;
        }
        return value.asInt();
    }
}
