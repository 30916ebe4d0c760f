package io.camelappconnect.gateway;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.request.MpowerApi;
import io.camelappconnect.request.MpowerLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code app.source=mpower}: the settings the user entered on mPower's Cloud Connector page, read from the mPower API
 * at start ({@code GET /api/loraNetwork/defaultApp}, the protocol document's "Application configuration") as
 * {@code app.*} properties, so that a gateway moves from MultiTech's app to this one with no new configuration.
 * They take the place of config/application.properties' {@code app.*} values; a {@code -Dkey=value} or an
 * environment variable still wins.
 */
public final class MpowerSettings {

    static final String PATH = "/api/loraNetwork/defaultApp";
    private static final Logger LOG = LoggerFactory.getLogger(MpowerSettings.class);
    /** mPower's API may still be starting when the app does, at boot: tries, 2 s apart. */
    private static final int TRIES = 30;

    private MpowerSettings() {
    }

    /** The settings as {@code app.*} properties, leaving out those set explicitly (-D, the environment). */
    public static Map<String, String> read(AppConfig.Mpower api) throws InterruptedException {
        MpowerApi.Answer response = fetch(api);
        String uri = response.where();
        if (response.status() != 200) {
            throw new IllegalStateException("app.source=mpower: " + uri + " answered " + response.status()
                    + (response.status() == 401 ? ": set mpower.username and mpower.password" : ""));
        }
        JsonNode answer;
        try {
            answer = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("app.source=mpower: " + uri + " did not answer JSON: " + e.getMessage());
        }
        Map<String, String> settings = settings(answer, uri);
        LOG.info("app.source=mpower: {} settings from {} ({})", settings.size(), uri,
                String.join(", ", settings.keySet()));
        return settings;
    }

    /**
     * The API's answer, within mpower.timeout and mpower.maxAnswerBytes; only a connection that fails is tried again
     * (the API may still be starting), not an answer the API gave, nor one too big or too slow.
     */
    private static MpowerApi.Answer fetch(AppConfig.Mpower api) throws InterruptedException {
        MpowerLogin login = new MpowerLogin(api.username(), api.password());
        String problem = null;
        for (int i = 0; i < TRIES; i++) {
            try {
                return MpowerApi.get(api.url(), PATH, login, api.timeoutMs(), api.maxAnswerBytes());
            } catch (MpowerApi.BadAnswer e) {
                throw new IllegalStateException("app.source=mpower: " + e.getMessage());
            } catch (IOException e) {
                problem = e.getMessage();
                if (i == 0) {
                    LOG.warn("app.source=mpower: {}: trying again for a minute", problem);
                }
                Thread.sleep(2000);
            }
        }
        throw new IllegalStateException("app.source=mpower: " + problem);
    }

    private static Map<String, String> settings(JsonNode answer, String uri) {
        JsonNode app = answer.has("result") ? answer.get("result") : answer; // mPower's envelope, or none
        if (!app.isObject()) {
            throw new IllegalStateException("app.source=mpower: " + uri + " did not answer a JSON object");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        flatten("app", app, settings);
        // as MultiTech's program: settings from before API 1.1 carry no apiVersion (behaviour.md 10)
        settings.putIfAbsent("app.apiVersion", "1.0");
        settings.keySet().removeIf(MpowerSettings::setExplicitly);
        return settings;
    }

    /** {@code {"options":{"username":"x"}}} becomes {@code app.options.username=x}; lists and nulls are left out. */
    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        node.fields().forEachRemaining(field -> {
            String key = prefix + "." + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key, value, into);
            } else if (value.isValueNode() && !value.isNull()) {
                into.put(key, value.asText());
            }
        });
    }

    /** As Camel main reads them: {@code app.options.client_id} from -D, or from APP_OPTIONS_CLIENT_ID. */
    private static boolean setExplicitly(String key) {
        return System.getProperty(key) != null
                || System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_')) != null;
    }
}
