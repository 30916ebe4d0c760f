package io.camelappconnect.message;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one ObjectMapper, and the checks every route makes on JSON it did not write. */
public final class Json {

    /**
     * Numbers with a fraction are read as written ({@code 1.10} stays {@code 1.10}, {@code 1e400} is not Infinity):
     * a request's {@code rid} comes back unchanged (behaviour.md 5), and a JSON we edit keeps its other numbers.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Json() {
    }

    /** Parses a JSON object, or says in words why the payload is not one. */
    public static ObjectNode object(byte[] payload) {
        JsonNode node;
        try {
            node = MAPPER.readTree(payload);
        } catch (IOException e) {
            throw notJson(e);
        }
        if (node == null || !node.isObject()) {
            throw new BadMessage("payload is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Checks that the payload looks like one JSON object, its first and last characters (white space aside) braces,
     * without reading it through: uplinks pass on byte for byte, and a full parse was a quarter of an uplink's time
     * on the route. What the LNS never sends (two objects in a row) passes.
     */
    public static void requireObject(byte[] payload) {
        int first = 0;
        int last = payload.length - 1;
        while (first <= last && isWhitespace(payload[first])) {
            first++;
        }
        while (last > first && isWhitespace(payload[last])) {
            last--;
        }
        if (first >= last || payload[first] != '{' || payload[last] != '}') {
            throw new BadMessage("payload is not a JSON object ({...}): " + (first > last ? "empty"
                    : "it starts with " + shown(payload[first]) + " and ends with " + shown(payload[last])));
        }
    }

    /**
     * A step: the body is JSON, or empty (a {@code moved} message carries a list of gateway EUIs, and MultiTech's
     * app sends it empty).
     */
    public static final org.apache.camel.Processor CHECK = exchange -> {
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        if (payload.length > 0) {
            try {
                MAPPER.readTree(payload);
            } catch (IOException e) {
                throw notJson(e);
            }
        }
    };

    /** A byte for a log line: binary must not reach it as is. */
    private static String shown(byte b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** A string field, or null when absent; a field of another type is refused. */
    public static String text(ObjectNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadMessage("'" + field + "' must be a string, not " + value.getNodeType().toString().toLowerCase());
        }
        return value.asText();
    }

    public static byte[] bytes(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parser's reason without its location boilerplate, which says nothing to a person reading the log. */
    private static BadMessage notJson(IOException e) {
        String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (reason == null) {
            reason = "unreadable";
        }
        int location = reason.indexOf(" (start marker at");
        reason = location < 0 ? reason : reason.substring(0, location);
        return new BadMessage("payload is not JSON (" + reason + ")");
    }
}
