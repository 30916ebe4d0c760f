package io.camelappconnect.protocol;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cloud commands on their way to the LNS (behaviour.md 2-4): {@code down} becomes {@code lora/DEV/down} with
 * {@code deveui} normalised, {@code data} checked (and turned from hex into base64 with encodeHex) and every
 * other key passed on; {@code clear} becomes an empty {@code lora/DEV/clear}.
 */
public final class ToLns implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ToLns.class);

    private final boolean clear;
    private final PayloadCodec codec;
    private final TopicTemplate.Subscription downlinkTopic;
    private final Counters counters;

    private ToLns(boolean clear, PayloadCodec codec, TopicTemplate.Subscription downlinkTopic, Counters counters) {
        this.clear = clear;
        this.codec = codec;
        this.downlinkTopic = downlinkTopic;
        this.counters = counters;
    }

    /** @param downlinkTopic the subscription made from the user's template, or null for the protocol's topic */
    public static ToLns down(PayloadCodec codec, TopicTemplate.Subscription downlinkTopic, Counters counters) {
        return new ToLns(false, codec, downlinkTopic, counters);
    }

    public static ToLns clear(Counters counters) {
        return new ToLns(true, null, null, counters);
    }

    @Override
    public void process(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        if (payload.length == 0) {
            // what clearing a retained command looks like to its subscribers, ourselves included
            LOG.debug("{}: empty message, nothing to do", topic);
            exchange.setRouteStop(true);
            return;
        }
        ObjectNode json = Json.object(payload);
        String dev = Eui.normalise(deviceEui(topic, json));
        byte[] out;
        if (clear) {
            out = new byte[0];
        } else {
            json.put("deveui", dev);
            String data = Json.text(json, "data");
            if (data != null) {
                try {
                    json.put("data", codec.toLns(data));
                } catch (BadMessage e) {
                    throw new BadMessage("downlink for " + dev + " refused: " + e.getMessage());
                }
            }
            out = Json.bytes(json);
        }
        exchange.getMessage().setHeader(MqttComponent.PUBLISH_TOPIC,
                "lora/" + dev + (clear ? "/clear" : "/down"));
        exchange.getMessage().setBody(out);
        counters.command(clear ? "clear" : "down");
    }

    private String deviceEui(String topic, ObjectNode json) {
        if (downlinkTopic != null) {
            Map<String, String> fields = downlinkTopic.fields(topic);
            if (fields == null) {
                throw new BadMessage("topic does not have the shape of app.options.downlinkTopic");
            }
            if (fields.containsKey("deveui")) {
                return fields.get("deveui");
            }
        }
        String dev = Json.text(json, "deveui");
        if (dev == null || dev.isEmpty()) {
            throw new BadMessage("'deveui' missing: say which device, e.g. {\"deveui\":\"00-80-00-ff-ff-00-00-03\",...}");
        }
        return dev;
    }
}
