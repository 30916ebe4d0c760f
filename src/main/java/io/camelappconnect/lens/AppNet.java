package io.camelappconnect.lens;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.protocol.BadMessage;
import io.camelappconnect.protocol.Eui;

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
     * @throws BadMessage naming what is wrong with it
     */
    static AppNet parse(JsonNode app) {
        if (app == null || !app.isObject()) {
            throw new BadMessage("an application network must be a JSON object: " + app);
        }
        JsonNode eui = app.get("eui");
        if (eui == null || !eui.isTextual()) {
            throw new BadMessage("an application network without 'eui': " + app);
        }
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
        return new AppNet(Eui.normalise(eui.asText()), url == null || url.isNull() ? "" : url.asText().trim(), options,
                app);
    }
}
