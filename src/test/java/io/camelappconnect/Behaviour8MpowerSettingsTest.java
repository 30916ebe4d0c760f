package io.camelappconnect;

import java.util.List;

import io.camelappconnect.message.Json;
import io.camelappconnect.support.MpowerSettingsTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import io.moquette.interception.messages.InterceptConnectMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 8 with {@code app.source=mpower}: the protocol document's "Application configuration", as mPower's
 * API answers it, configures the bridge (the broker URL, encodeHex, the client id) with none of it in the
 * properties; a -D setting still wins over it.
 */
class Behaviour8MpowerSettingsTest extends MpowerSettingsTestSupport {

    @BeforeAll
    static void mpowerWithCloudConnectorSettings() {
        api.defaultApp("{\"enabled\":true,\"apiVersion\":\"1.1.1\",\"url\":\"" + cloudBroker.url() + "\",\"eui\":\"\",\"encodeHex\":true,"
                + "\"options\":{\"check_hostname\":true,\"client_id\":\"from-mpower\",\"server_cert\":\"\","
                + "\"client_cert\":\"\",\"apikey\":\"\",\"username\":\"\",\"password\":\"\",\"uplinkTopic\":\"\","
                + "\"downlinkTopic\":\"\",\"overrideTopicsForAllApps\":false},"
                + "\"requestOptions\":{\"api\":false,\"log\":false,\"lora\":true},"
                + "\"backhaulDetect\":{\"enabled\":false,\"payload\":\"FF\",\"port\":1,\"timeout\":300}}");
        System.setProperty("app.options.client_id", "from-the-command-line"); // as -Dapp.options.client_id=...
    }

    @AfterAll
    static void clearTheCommandLineSetting() {
        System.clearProperty("app.options.client_id");
    }

    @Test
    void theCloudConnectorSettingsConfigureTheBridgeAndACommandLineSettingWins() throws Exception {
        assertTrue(api.requests().stream().anyMatch(r -> r.pathAndQuery().equals("/api/loraNetwork/defaultApp")));
        List<String> clientIds = embedded(cloudBroker).connects().stream().map(InterceptConnectMessage::getClientID)
                .toList();
        assertTrue(clientIds.contains("from-the-command-line"), clientIds.toString());

        String dev = "00-80-00-ff-ff-00-00-81";
        cloud.subscribe("lorawan/" + GW + "/+/+/up");
        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
        Received r = cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/up", 5);
        assertNotNull(r, "forwarded to the broker mPower named");
        assertEquals("7465737464617461", Json.MAPPER.readTree(r.payload()).get("data").asText(), "encodeHex from mPower");
    }
}
