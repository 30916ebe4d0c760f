package io.camelappconnect.azure;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * What a cloud-to-device message asks (behaviour.md 12): header {@code command}, {@code clear} when its property
 * bag ({@code devices/<id>/messages/devicebound/<bag>}) has {@code clear} (any value but false) or its JSON
 * {@code "clear": true}, else {@code down}. The device is named by the JSON's {@code deveui} in both.
 */
public final class C2dCommand implements Processor {

    public static final String COMMAND = "command";
    private static final String BAG_AFTER = "/messages/devicebound/";

    @Override
    public void process(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class);
        boolean clear = clearProperty(topic);
        if (!clear) {
            byte[] payload = exchange.getMessage().getBody(byte[].class);
            try {
                JsonNode flag = payload.length == 0 ? null : Json.object(payload).get("clear");
                clear = flag != null && flag.asBoolean(false);
            } catch (BadMessage notJson) {
                // the downlink's own step says what is wrong with it
            }
        }
        exchange.getMessage().setHeader(COMMAND, clear ? "clear" : "down");
    }

    private static boolean clearProperty(String topic) {
        int at = topic.indexOf(BAG_AFTER);
        if (at < 0) {
            return false;
        }
        for (String pair : topic.substring(at + BAG_AFTER.length()).split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals("clear")) {
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                return !value.equalsIgnoreCase("false") && !value.equals("0");
            }
        }
        return false;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;
        }
    }
}
