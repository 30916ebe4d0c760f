package io.camelappconnect.azure;

import java.util.Map;

import io.camelappconnect.message.BadMessage;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.request.RequestError;
import io.camelappconnect.request.RequestIn;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A direct method the hub hands on ({@code $iothub/methods/POST/<method>/?$rid=<rid>}, behaviour.md 12): headers
 * {@code method} (the route that serves it, {@code downlink} being MultiTech's name for {@code down}) and
 * {@code methodRid} (what the answer's topic names), and the request's kind for {@link io.camelappconnect.request.RidEcho}.
 * A method there is none of is answered 404 by routes/azure-methods.yaml's error handler.
 */
public final class DirectMethod implements Processor {

    public static final String METHOD = "method";
    public static final String RID = "methodRid";
    public static final String STATUS = "methodStatus";

    private static final String PREFIX = "$iothub/methods/POST/";
    private static final String RID_FIELD = "/?$rid=";
    /** The hub's request ids are short; a longer one is not the hub's, and is not echoed into a topic. */
    private static final int MAX_RID_CHARS = 64;
    private static final int MAX_NAME_CHARS = 64;
    /** The method's name -> the request kind its answer and its counts are filed under. */
    private static final Map<String, String> KINDS = Map.of("down", "down", "downlink", "down", "clear", "clear",
            "lora_req", "lora", "api_req", "api", "log_req", "log");

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(RequestIn.STARTED, System.nanoTime());
        String topic = exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class);
        int ridAt = topic.indexOf(RID_FIELD);
        if (!topic.startsWith(PREFIX) || ridAt < PREFIX.length()) {
            throw new BadMessage("not a direct method ($iothub/methods/POST/<method>/?$rid=<id>): it can't be answered");
        }
        String rid = topic.substring(ridAt + RID_FIELD.length());
        if (rid.isEmpty() || rid.length() > MAX_RID_CHARS || !rid.chars().allMatch(DirectMethod::plain)) {
            throw new BadMessage("the method's $rid is not the hub's (letters, digits, - and _; at most "
                    + MAX_RID_CHARS + "): it can't be answered");
        }
        exchange.getMessage().setHeader(RID, rid);
        String name = topic.substring(PREFIX.length(), ridAt);
        String kind = KINDS.get(name);
        if (kind == null) { // named back only when it is a plain name: it goes into a log line
            String shown = name.length() <= MAX_NAME_CHARS && name.chars().allMatch(DirectMethod::plain)
                    ? "'" + name + "'" : "of that name";
            exchange.setProperty(RequestIn.KIND, "method");
            throw RequestError.unknown("no method " + shown + ": the methods are down, clear, lora_req, api_req"
                    + " and log_req");
        }
        exchange.setProperty(RequestIn.KIND, kind);
        if (exchange.getMessage().getBody(byte[].class).length == 0) { // the hub sends null for a call without one
            throw new RequestError("the method's payload is empty: it is a JSON object, as the X_req message of MQTT mode");
        }
        exchange.getMessage().setHeader(METHOD, kind.equals("down") || kind.equals("clear") ? kind : name);
    }

    /** ASCII letters, digits, - and _: what a hub's request id and a method's name are made of. */
    private static boolean plain(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }

    /**
     * The answer's status, as the hub passes it to the caller: 200 done, or the failure's ({@link RequestError#status()},
     * 400 for input the bridge refuses, 500 for anything else).
     */
    public static Processor status() {
        return exchange -> {
            Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            int status = failure == null ? 200
                    : failure instanceof RequestError e ? e.status()
                    : failure instanceof BadMessage ? RequestError.BAD_REQUEST : RequestError.FAILED;
            exchange.getMessage().setHeader(STATUS, status);
        };
    }
}
