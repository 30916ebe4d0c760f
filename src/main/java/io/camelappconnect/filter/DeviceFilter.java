package io.camelappconnect.filter;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.protocol.DeviceEuis;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step after {@code deviceEuis}: exchange property {@link DeviceEuis#ALLOWED} false for a device the DevEUI, JoinEUI
 * or AppEUI filter keeps out (each must let it through, as in lora-mqtt-bridge), else as {@code deviceEuis} left it
 * (outside {@code app.eui} stays out). The route says what follows ({@code filter:}). The JoinEUI is the JSON's
 * {@code joineui} (LoRaWAN 1.1's name for the AppEUI; the LNS writes it in uplinks and joins), or the AppEUI where the
 * message has none (a {@code moved}); the JSON is read only when there is a JoinEUI filter. A device kept out is
 * configuration, not an error: a DEBUG line.
 */
public final class DeviceFilter implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceFilter.class);

    /** The keys' prefix, named in the DEBUG line. */
    private final String prefix;
    private final EuiFilter devEui;
    private final EuiFilter joinEui;
    private final EuiFilter appEui;

    public DeviceFilter(String prefix, EuiFilter devEui, EuiFilter joinEui, EuiFilter appEui) {
        this.prefix = prefix;
        this.devEui = devEui;
        this.joinEui = joinEui;
        this.appEui = appEui;
    }

    public boolean isEmpty() {
        return devEui.isEmpty() && joinEui.isEmpty() && appEui.isEmpty();
    }

    @Override
    public void process(Exchange exchange) {
        if (isEmpty() || !exchange.getProperty(DeviceEuis.ALLOWED, true, Boolean.class)) {
            return;
        }
        String dev = exchange.getMessage().getHeader(DeviceEuis.DEV_EUI, String.class);
        String app = exchange.getMessage().getHeader(DeviceEuis.APP_EUI, String.class);
        String out = null;
        if (!devEui.allows(dev)) {
            out = "DevEUI " + dev;
        } else if (!appEui.allows(app)) {
            out = "AppEUI " + app;
        } else if (!joinEui.isEmpty()) {
            String join = joinEuiOf(exchange, app);
            out = joinEui.allows(join) ? null : "JoinEUI " + join;
        }
        if (out != null) {
            exchange.setProperty(DeviceEuis.ALLOWED, false);
            LOG.debug("{}: {} kept out by {}*, not forwarded",
                    exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class), out, prefix);
        }
    }

    /** The JSON's joineui, normalised, or the AppEUI (a moved's list, an empty body). */
    private static String joinEuiOf(Exchange exchange, String app) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        JsonNode json;
        try {
            json = body.length == 0 ? null : Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new BadMessage("payload is not JSON");
        }
        JsonNode joineui = json == null ? null : json.get("joineui");
        return joineui != null && joineui.isTextual() && !joineui.asText().isEmpty()
                ? Eui.normalise(joineui.asText()) : app;
    }
}
