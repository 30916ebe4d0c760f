package io.camelappconnect.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The first step of every request route (behaviour.md 5): the request's {@code rid}, and the check all share: a
 * JSON object of bounded size. The body becomes that object; an empty message is no request
 * ({@link #NO_REQUEST}). Whether the request type is on ({@code app.requestOptions.*}) the route itself checks. From here on every failure is answered
 * (routes/requests.yaml, RidEcho).
 */
public final class RequestIn implements Processor {

    /** Exchange properties the later steps read. */
    public static final String RID = "requestRid";
    public static final String STARTED = "requestStarted";
    /** The request's kind where its topic does not end in X_req (an Azure direct method's name). */
    public static final String KIND = "requestKind";
    /** True for an empty message, what clearing a retained request looks like to its subscribers: no request. */
    public static final String NO_REQUEST = "noRequest";

    /** A request is a few hundred bytes; this bounds what a cloud message can make us parse. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        if (payload.length == 0) {
            exchange.setProperty(NO_REQUEST, true); // the route stops (routes/requests.yaml)
            return;
        }
        if (payload.length > MAX_REQUEST_BYTES) {
            throw new RequestError("request is " + payload.length + " bytes: at most " + MAX_REQUEST_BYTES);
        }
        ObjectNode request;
        try {
            request = Json.object(payload);
        } catch (BadMessage e) {
            throw new RequestError("request is not a JSON object: " + e.getMessage());
        }
        JsonNode rid = request.get("rid");
        if (rid != null) {
            exchange.setProperty(RID, rid);
        }
        exchange.getMessage().setBody(request);
    }

    /** "lora", "api", "log" (or a user's own), from the request's topic lorawan/GW/X_req or its {@link #KIND}. */
    static String kind(Exchange exchange) {
        String named = exchange.getProperty(KIND, String.class);
        if (named != null) {
            return named;
        }
        String topic = exchange.getIn().getHeader(MqttComponent.TOPIC, String.class);
        return topic.substring(topic.lastIndexOf('/') + 1, topic.length() - "_req".length());
    }

    /** A string field the request must have; the answer says how it should look. */
    static String requiredText(ObjectNode request, String field, String example) {
        String value;
        try {
            value = Json.text(request, field);
        } catch (BadMessage wrongType) {
            throw new RequestError(wrongType.getMessage() + ", e.g. " + example);
        }
        if (value == null) {
            throw new RequestError("'" + field + "' missing, e.g. " + example);
        }
        return value;
    }
}
