package io.camelappconnect.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A topic in the mPower UI's template syntax, {@code lorawan/%(gwuuid)s/%(appeui)s/%(deveui)s/up}: filled in
 * for publishing, or turned into a subscription with {@code +} for each field and read back from a topic.
 */
public final class TopicTemplate {

    /** The header {@link #uplinkTopic} sets. */
    public static final String UPLINK_TOPIC = "uplinkTopic";

    private static final Logger LOG = LoggerFactory.getLogger(TopicTemplate.class);

    private static final Pattern FIELD = Pattern.compile("%\\(([A-Za-z0-9_-]+)\\)s|%%|%");

    private final String text;
    /** Literal strings and field names, alternating as they stand in the template (fields in a Field). */
    private final List<Object> parts = new ArrayList<>();

    private record Field(String name) {
    }

    private TopicTemplate(String text) {
        this.text = text;
    }

    /** @throws IllegalArgumentException naming the key, for a template Python's %-formatting would not take either */
    public static TopicTemplate parse(String key, String template) {
        TopicTemplate t = new TopicTemplate(template);
        Matcher m = FIELD.matcher(template);
        StringBuilder literal = new StringBuilder();
        int at = 0;
        while (m.find()) {
            literal.append(template, at, m.start());
            at = m.end();
            if (m.group(1) != null) {
                t.literal(literal);
                t.parts.add(new Field(m.group(1)));
            } else if (m.group().equals("%%")) {
                literal.append('%');
            } else {
                throw new IllegalArgumentException(key + "=" + template
                        + ": '%' must start a field such as %(deveui)s, or be written %%");
            }
        }
        literal.append(template.substring(at));
        t.literal(literal);
        if (t.text.contains("+") || t.text.contains("#") || t.text.isBlank()) {
            throw new IllegalArgumentException(key + "=" + template + ": a topic name has no '+' or '#' and is not empty");
        }
        return t;
    }

    private void literal(StringBuilder literal) {
        if (literal.length() > 0) {
            parts.add(literal.toString());
            literal.setLength(0);
        }
    }

    /**
     * Fills the template, or returns null when a field has no value or one that can't stand as a level of a topic
     * name (empty, {@code /}, {@code +}, {@code #}, NUL): the caller falls back to the default topic.
     */
    public String render(Function<String, String> values) {
        StringBuilder out = new StringBuilder(64);
        for (Object part : parts) {
            if (part instanceof Field f) {
                String v = values.apply(f.name());
                if (v == null || v.isEmpty() || v.indexOf('+') >= 0 || v.indexOf('#') >= 0 || v.indexOf('\0') >= 0
                        || v.indexOf('/') >= 0) { // a field is one level: "floor/3" would add levels, "a/" an empty one
                    return null;
                }
                out.append(v);
            } else {
                out.append((String) part);
            }
        }
        return out.toString();
    }

    /**
     * The uplink step for {@code app.options.uplinkTopic}: header {@code uplinkTopic}, the template filled in from
     * the gateway, app.options.client_id, the device's EUIs ({@link DeviceEuis}) and the uplink's JSON fields. An
     * uplink that lacks a field, or has one that can't stand in a topic, gets no header (and goes to the protocol's
     * topic) and a WARN.
     */
    public Processor uplinkTopic(String gatewayUuid, String gatewaySerial, String clientId) {
        return exchange -> {
            String app = exchange.getMessage().getHeader(DeviceEuis.APP_EUI, String.class);
            String dev = exchange.getMessage().getHeader(DeviceEuis.DEV_EUI, String.class);
            ObjectNode[] json = {null};
            String topic = render(field -> switch (field) {
                case "gwuuid" -> gatewayUuid;
                case "gwserial" -> gatewaySerial;
                // MultiTech's Azure template: devices/%(client_id)s/messages/events/
                case "client_id" -> clientId.isEmpty() ? null : clientId;
                case "appeui" -> app;
                case "deveui" -> dev;
                default -> {
                    if (json[0] == null) {
                        json[0] = Json.object(exchange.getMessage().getBody(byte[].class));
                    }
                    JsonNode value = json[0].get(field);
                    yield value == null || value.isContainerNode() || value.isNull() ? null : value.asText();
                }
            });
            if (topic == null) {
                LOG.warn("uplink of {}: app.options.uplinkTopic={} names a field this uplink lacks or can't put in a"
                        + " topic; sent to the protocol's topic", dev, text);
            } else {
                exchange.getMessage().setHeader(UPLINK_TOPIC, topic);
            }
        };
    }

    /** A template with the gateway's own fields filled in, as a subscription: every other field's level is {@code +}. */
    public Subscription subscription(Map<String, String> constants) {
        StringBuilder regex = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Field f && !constants.containsKey(f.name())) {
                regex.append("([^/]+)");
                names.add(f.name());
            } else {
                String literal = part instanceof Field f ? constants.get(f.name()) : (String) part;
                regex.append(Pattern.quote(literal));
            }
        }
        String filled = render(name -> constants.getOrDefault(name, "\1" + name + "\1"));
        if (filled == null) {
            throw new IllegalArgumentException(text + ": a gateway field has no value");
        }
        String filter = java.util.Arrays.stream(filled.split("/", -1))
                .map(level -> level.contains("\1") ? "+" : level)
                .collect(java.util.stream.Collectors.joining("/"));
        return new Subscription(filter, Pattern.compile(regex.toString()), names);
    }

    /** A subscription made from a template, and the way back from a topic to its fields. */
    public record Subscription(String filter, Pattern pattern, List<String> names) {
        /** The fields in {@code topic}, or null when the topic does not have the template's shape. */
        public Map<String, String> fields(String topic) {
            Matcher m = pattern.matcher(topic);
            if (!m.matches()) {
                return null;
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                out.put(names.get(i), m.group(i + 1));
            }
            return out;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
