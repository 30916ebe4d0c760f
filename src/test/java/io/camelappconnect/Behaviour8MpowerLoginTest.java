package io.camelappconnect;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.MpowerApiStandIn;
import io.camelappconnect.support.MpowerSettingsTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 8 with an mPower API that asks for a login (mpower.username, mpower.password): the settings are read
 * with it and an api_req is answered with it, every call carrying it; neither the password nor the Basic
 * credentials reach a log line (the suite's NoSecretInLogs greps for both).
 */
class Behaviour8MpowerLoginTest extends MpowerSettingsTestSupport {

    @BeforeAll
    static void mpowerThatAsksForALogin() {
        api.close();
        api = MpowerApiStandIn.start(TestSecrets.MPOWER_USER, TestSecrets.MPOWER_PASSWORD);
        api.defaultApp("{\"enabled\":true,\"apiVersion\":\"1.1.1\",\"url\":\"" + cloudBroker.url() + "\",\"eui\":\"\","
                + "\"options\":{},\"requestOptions\":{\"api\":true,\"log\":false,\"lora\":false}}");
    }

    @Override
    protected void properties(Properties p) {
        super.properties(p);
        p.setProperty("mpower.username", TestSecrets.MPOWER_USER);
        p.setProperty("mpower.password", TestSecrets.MPOWER_PASSWORD);
    }

    @Test
    void theSettingsAndAnApiRequestAreReadWithTheLogin() throws Exception {
        cloud.subscribe("lorawan/" + GW + "/api_res");
        cloud.publish("lorawan/" + GW + "/api_req", "{\"method\":\"GET\",\"path\":\"/api/loraNetwork\",\"rid\":7}");
        Received answer = cloud.next("lorawan/" + GW + "/api_res", 10);
        assertNotNull(answer, "an api_res");
        JsonNode json = Json.MAPPER.readTree(answer.payload());
        assertEquals("US915", json.at("/result/lora/channelPlan").asText(), answer.text());

        assertTrue(api.requests().size() >= 2, api.requests().toString());
        assertTrue(api.requests().stream()
                .allMatch(r -> TestSecrets.MPOWER_BASIC.equals(r.headers().get("authorization"))), "every call with the login");
    }
}
