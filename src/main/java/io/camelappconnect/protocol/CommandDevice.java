package io.camelappconnect.protocol;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which device a cloud command ({@code down}, {@code clear}) is for (behaviour.md 2-3): header {@code devEui},
 * normalised, from the JSON's {@code deveui}, or from the topic when {@code app.options.downlinkTopic} names a
 * {@code %(deveui)s} level, or with API 1.0 (behaviour.md 10) from {@code lorawan/X/<DEV-EUI>/down} unless that level
 * is the GW-UUID ({@code lorawan/<APP>/<GW-UUID>/down} names the device in the JSON). The body becomes the command's
 * JSON object. An empty message, which is what clearing a retained command looks like to its subscribers (ourselves
 * included), is no command: property {@link #NO_COMMAND}, and the route stops (routes/downlinks.yaml).
 */
public final class CommandDevice implements Processor {

    /** Exchange property: true for an empty message, which holds no command. */
    public static final String NO_COMMAND = "noCommand";

    private static final Logger LOG = LoggerFactory.getLogger(CommandDevice.class);

    private final TopicTemplate.Subscription downlinkTopic;
    private final String gatewayUuid;
    /** API 1.0's clear: the device is in the topic, and an empty message is the command itself. */
    private final boolean emptyIsCommand;

    /**
     * @param downlinkTopic for {@code down}: the subscription made from the user's template, or null for the
     *                      protocol's topic; for {@code clear} always null (its topic is fixed)
     */
    public CommandDevice(TopicTemplate.Subscription downlinkTopic) {
        this(downlinkTopic, null, false);
    }

    private CommandDevice(TopicTemplate.Subscription downlinkTopic, String gatewayUuid, boolean emptyIsCommand) {
        this.downlinkTopic = downlinkTopic;
        this.gatewayUuid = gatewayUuid;
        this.emptyIsCommand = emptyIsCommand;
    }

    /** API 1.0's downlinks, {@code lorawan/X/<DEV-EUI>/down}. */
    public static CommandDevice api10(String gatewayUuid) {
        return new CommandDevice(null, gatewayUuid, false);
    }

    /**
     * API 1.0's clears, {@code lorawan/X/<DEV-EUI>/clear}: as MultiTech's program, whatever the payload, an empty one
     * too (our own clearing of a retained clear is not taken for one: {@link ClearRetained} stops it).
     */
    public static CommandDevice api10Clear(String gatewayUuid) {
        return new CommandDevice(null, gatewayUuid, true);
    }

    @Override
    public void process(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        if (payload.length == 0 && !emptyIsCommand) {
            LOG.debug("{}: empty message, nothing to do", topic);
            exchange.setProperty(NO_COMMAND, true);
            return;
        }
        ObjectNode json = payload.length == 0 ? Json.MAPPER.createObjectNode() : Json.object(payload);
        exchange.getMessage().setHeader(DeviceEuis.DEV_EUI, Eui.normalise(deviceEui(topic, json)));
        exchange.getMessage().setBody(json);
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
        if (gatewayUuid != null) {
            String[] levels = topic.split("/");
            if (levels.length == 4 && !levels[2].equals(gatewayUuid)) {
                return levels[2];
            }
        }
        String dev = Json.text(json, "deveui");
        if (dev == null || dev.isEmpty()) {
            throw new BadMessage("'deveui' missing: say which device, e.g. {\"deveui\":\"00-80-00-ff-ff-00-00-03\",...}");
        }
        return dev;
    }
}
