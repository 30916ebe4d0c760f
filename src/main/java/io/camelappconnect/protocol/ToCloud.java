package io.camelappconnect.protocol;

import io.camelappconnect.gateway.Identity;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LNS traffic on its way to the cloud (behaviour.md 2-4): from the LNS topic, the cloud topic and the payload.
 * <ul>
 * <li>{@code lora/APP/DEV/up} and the older {@code lora/DEV/up} (AppEUI from the JSON): the LNS JSON as it came,
 * or with {@code data} in hex when encodeHex is on; topic from {@code app.options.uplinkTopic};</li>
 * <li>{@code lora/DEV/joined}: the LNS JSON plus {@code deveui} and {@code time};</li>
 * <li>{@code lora/APP/DEV/moved}: the LNS payload as it came.</li>
 * </ul>
 * Devices outside the {@code app.eui} filter stop here. An uplink's JSON is only checked to be an object
 * ({@link Json#requireObject}), not parsed, unless the topic form, the template or encodeHex needs a field.
 */
public final class ToCloud implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ToCloud.class);

    private final Identity gateway;
    private final PayloadCodec codec;
    private final String appEuiFilter;
    private final TopicTemplate uplinkTopic;

    private final Counters counters;

    /** @param uplinkTopic the user's template, or null for the protocol's topic */
    public ToCloud(Identity gateway, PayloadCodec codec, String appEuiFilter, TopicTemplate uplinkTopic,
                   Counters counters) {
        this.gateway = gateway;
        this.codec = codec;
        this.appEuiFilter = appEuiFilter;
        this.uplinkTopic = uplinkTopic;
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        String[] level = topic.split("/", -1);
        String kind = level[level.length - 1];
        Event event = switch (kind) {
            case "up" -> level.length == 4 ? uplink(level[1], level[2], payload)
                    : level.length == 3 ? uplink(null, level[1], payload) : null;
            case "joined" -> level.length == 3 ? joined(level[1], payload) : null;
            case "moved" -> level.length == 4 ? moved(level[1], level[2], payload) : null;
            default -> null;
        };
        if (event == null) {
            throw new BadMessage("not a topic of the LNS (lora/APP-EUI/DEV-EUI/up, lora/DEV-EUI/up, "
                    + "lora/DEV-EUI/joined, lora/APP-EUI/DEV-EUI/moved)");
        }
        if (!appEuiFilter.isEmpty() && !appEuiFilter.equals(event.appEui)) {
            LOG.debug("{}: AppEUI {} is not {}, not forwarded", topic, event.appEui, appEuiFilter);
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setHeader(MqttComponent.PUBLISH_TOPIC, event.topic);
        exchange.getMessage().setBody(event.payload);
        counters.forwarded(kind);
    }

    private record Event(String appEui, String topic, byte[] payload) {
    }

    private Event uplink(String appInTopic, String devInTopic, byte[] payload) {
        String dev = Eui.normalise(devInTopic);
        ObjectNode json = null;
        String app;
        if (appInTopic != null) {
            app = Eui.normalise(appInTopic);
        } else {
            json = Json.object(payload);
            app = Eui.normalise(required(json, "appeui", "an uplink on lora/DEV-EUI/up"));
        }
        if (codec.isHex()) {
            json = json == null ? Json.object(payload) : json;
            String data = Json.text(json, "data");
            if (data != null) {
                json.put("data", codec.toCloud(data));
                json.put("data-format", "hexadecimal");
            }
            payload = Json.bytes(json);
        } else if (json == null) {
            Json.requireObject(payload);
        }
        return new Event(app, uplinkTopic(app, dev, json, payload), payload);
    }

    private Event joined(String devInTopic, byte[] payload) {
        String dev = Eui.normalise(devInTopic);
        ObjectNode json = Json.object(payload);
        String app = Eui.normalise(required(json, "appeui", "a join"));
        json.put("deveui", dev);
        json.put("time", Instant.now().toString());
        return new Event(app, cloudTopic(app, dev, "joined"), Json.bytes(json));
    }

    private Event moved(String appInTopic, String devInTopic, byte[] payload) {
        String app = Eui.normalise(appInTopic);
        String dev = Eui.normalise(devInTopic);
        if (payload.length > 0) {
            try {
                Json.MAPPER.readTree(payload);
            } catch (java.io.IOException e) {
                throw new BadMessage("payload is not JSON (a moved message carries a list of gateway EUIs)");
            }
        }
        return new Event(app, cloudTopic(app, dev, "moved"), payload);
    }

    private String cloudTopic(String app, String dev, String kind) {
        return "lorawan/" + gateway.uuid() + "/" + app + "/" + dev + "/" + kind;
    }

    private String uplinkTopic(String app, String dev, ObjectNode parsed, byte[] payload) {
        if (uplinkTopic == null) {
            return cloudTopic(app, dev, "up");
        }
        ObjectNode[] json = {parsed};
        String topic = uplinkTopic.render(field -> switch (field) {
            case "gwuuid" -> gateway.uuid();
            case "gwserial" -> gateway.serial();
            case "appeui" -> app;
            case "deveui" -> dev;
            default -> {
                if (json[0] == null) {
                    json[0] = Json.object(payload);
                }
                JsonNode value = json[0].get(field);
                yield value == null || value.isContainerNode() || value.isNull() ? null : value.asText();
            }
        });
        if (topic == null) {
            LOG.warn("uplink of {}: app.options.uplinkTopic={} names a field this uplink lacks or can't put in a topic;"
                    + " sent to the default topic", dev, uplinkTopic);
            return cloudTopic(app, dev, "up");
        }
        return topic;
    }

    static String required(ObjectNode json, String field, String what) {
        String value = Json.text(json, field);
        if (value == null || value.isEmpty()) {
            throw new BadMessage(what + " must carry '" + field + "'");
        }
        return value;
    }
}
