package io.camelappconnect.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import io.camelappconnect.request.LoraQueryRunner;
import io.camelappconnect.request.MpowerApi;
import io.camelappconnect.request.MpowerLogin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who this gateway is (behaviour.md 2): GW-UUID, serial and gateway EUIs, each from the configuration when
 * set there, else read from the gateway as MultiTech's app does.
 */
public record Identity(String uuid, String serial, List<String> euis) {

    private static final Logger LOG = LoggerFactory.getLogger(Identity.class);
    private static final Path SYSFS = Path.of("/sys/devices/platform/mts-io");
    private static final Pattern UUID_HEX = Pattern.compile("[0-9a-f]{32}");
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    public static Identity resolve(AppConfig config) {
        AppConfig.Gateway gw = config.gateway();
        String uuidText = gw.uuid().isEmpty() ? readSysfs("uuid") : gw.uuid();
        if (uuidText == null) {
            throw new IllegalArgumentException("gateway.uuid is not set and " + SYSFS.resolve("uuid")
                    + " cannot be read: set gateway.uuid to the gateway's UUID (32 hex digits, dashes optional)");
        }
        String uuid = dashedUuid(uuidText);
        String serial = gw.serial().isEmpty() ? readSysfs("device-id") : gw.serial();
        List<String> euis = gw.euis().isEmpty()
                ? askGatewayEuis(config)
                : Arrays.stream(gw.euis().split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Eui::normalise).toList();
        return new Identity(uuid, serial == null ? "" : serial, euis);
    }

    /** {@code 029998e061...} or {@code 029998E0-6156-...} as the dashed lower-case UUID of the topics. */
    static String dashedUuid(String text) {
        String hex = text.trim().replace("-", "").toLowerCase(Locale.ROOT);
        if (!UUID_HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("gateway.uuid=" + text + " is not a UUID (32 hex digits, dashes optional)");
        }
        return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                + hex.substring(16, 20) + "-" + hex.substring(20);
    }

    private static String readSysfs(String name) {
        try {
            String value = Files.readString(SYSFS.resolve(name), StandardCharsets.US_ASCII).trim();
            return value.isEmpty() ? null : value;
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code lora-query -x gateways list json}, else mPower's accessory cards; none is a warning, not a failure. */
    private static List<String> askGatewayEuis(AppConfig config) {
        List<String> why = new ArrayList<>(2);
        List<String> euis = fromLoraQuery(config.loraQuery().command(), why);
        if (euis.isEmpty()) {
            euis = fromApi(config.mpower(), why);
        }
        if (euis.isEmpty()) {
            LOG.warn("gateway EUIs unknown (neither lora-query nor the mPower API answered: {}): init lists none;"
                    + " set gateway.euis to list them", String.join("; ", why));
        }
        return euis;
    }

    /** @param why where it says why it could not, if it could not */
    private static List<String> fromLoraQuery(String command, List<String> why) {
        try {
            return euisIn(LoraQueryRunner.ask(command, ASK_TIMEOUT.toMillis(), "gateways", "list", "json"), "gweui");
        } catch (IOException | RuntimeException e) {
            why.add(command + ": " + e.getMessage());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The API's accessory cards, within mpower.timeout and mpower.maxAnswerBytes. */
    private static List<String> fromApi(AppConfig.Mpower api, List<String> why) {
        try {
            MpowerApi.Answer answer = MpowerApi.get(api.url(), "/api/system/accessoryCards",
                    new MpowerLogin(api.username(), api.password()), api.timeoutMs(), api.maxAnswerBytes());
            JsonNode json = Json.MAPPER.readTree(answer.body());
            return euisIn(json.has("result") ? json.get("result") : json, "eui");
        } catch (IOException | RuntimeException e) {
            why.add(e.getMessage());
            return List.of();
        }
    }

    private static List<String> euisIn(JsonNode array, String field) {
        List<String> euis = new ArrayList<>();
        if (array != null && array.isArray()) {
            for (JsonNode item : array) {
                JsonNode eui = item.get(field);
                if (eui != null && eui.isTextual() && !eui.asText().isEmpty()) {
                    euis.add(Eui.normalise(eui.asText()));
                }
            }
        }
        return euis;
    }
}
