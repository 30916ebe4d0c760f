package io.camelappconnect.lens;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.mqtt.ConnectionConfig;

/**
 * One application network as {@code lora-query -x appnet list json} (or {@code appnet get}) describes it: its AppEUI,
 * the URL of its broker, and options named as the default app's ({@code client_id}, {@code server_cert}, ...).
 *
 * @param json what lora-query said of it: a change of any field reconnects it
 */
public record AppNet(String eui, String url, Map<String, String> options, JsonNode json) {

    /** Its connection's name, also its routes' scheme and its store's directory: {@code app-<eui, hex>}. */
    public String connection() {
        return "app-" + eui.replace("-", "");
    }

    public String option(String name, String otherwise) {
        String value = options.get(name);
        return value == null ? otherwise : value;
    }

    /**
     * The entry, its options checked as it is read: a value the MQTT client would refuse at connect (a keepalive over
     * 65535, a NUL in client_id) refuses the application here, with a message naming it and the option, and the others
     * go on. A message never shows the entry itself (its password, the PEM key in apikey), only its field names.
     *
     * @throws BadMessage naming what is wrong with it
     */
    static AppNet parse(JsonNode app) {
        if (app == null || !app.isObject()) {
            throw new BadMessage("an application network must be a JSON object, not "
                    + (app == null ? "nothing" : app.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        JsonNode eui = app.get("eui");
        if (eui == null || !eui.isTextual()) {
            List<String> fields = new ArrayList<>();
            app.fieldNames().forEachRemaining(fields::add);
            throw new BadMessage("an application network without a text 'eui' (its fields: " + fields + ")");
        }
        String name = Eui.normalise(eui.asText());
        JsonNode url = app.get("url");
        Map<String, String> options = new TreeMap<>();
        JsonNode given = app.get("options");
        if (given != null && given.isObject()) {
            given.fields().forEachRemaining(f -> {
                if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                    options.put(f.getKey(), f.getValue().asText());
                }
            });
        }
        check(name, options);
        return new AppNet(name, url == null || url.isNull() ? "" : url.asText().trim(), options, app);
    }

    /** What ConnectionConfig takes of the options, checked as it checks them. */
    private static void check(String eui, Map<String, String> options) {
        try {
            String keepalive = options.get("keepalive");
            if (keepalive != null) {
                ConnectionConfig.keepalive(Integer.parseInt(keepalive.trim()));
            }
        } catch (IllegalArgumentException e) { // NumberFormatException too
            throw new BadMessage(named(eui, "keepalive") + ": must be a whole number of seconds from 0 to 65535");
        }
        for (String text : List.of("client_id", "username", "password")) {
            String value = options.get(text);
            if (value != null && !ConnectionConfig.isMqttString(value)) {
                throw new BadMessage(named(eui, text) + ": not a valid MQTT string (a NUL or an unpaired surrogate in"
                        + " it, or over 65535 bytes)");
            }
        }
    }

    private static String named(String eui, String option) {
        return "application network " + eui + " option " + option;
    }
}
