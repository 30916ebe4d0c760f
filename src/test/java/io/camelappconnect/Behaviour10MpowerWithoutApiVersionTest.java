package io.camelappconnect;

import io.camelappconnect.message.Json;
import io.camelappconnect.support.MpowerSettingsTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 10 with {@code app.source=mpower}: Cloud Connector settings from before API 1.1 carry no
 * {@code apiVersion}, and mean 1.0, as in MultiTech's program (config/application.properties says 1.1.1).
 */
class Behaviour10MpowerWithoutApiVersionTest extends MpowerSettingsTestSupport {

    @BeforeAll
    static void mpowerWithSettingsOfApi10() {
        api.defaultApp("{\"enabled\":true,\"url\":\"" + cloudBroker.url() + "\",\"eui\":\"\",\"encodeHex\":false,"
                + "\"options\":{\"check_hostname\":true,\"client_id\":\"\",\"server_cert\":\"\",\"client_cert\":\"\","
                + "\"apikey\":\"\",\"username\":\"\",\"password\":\"\"},"
                + "\"requestOptions\":{\"api\":false,\"log\":false,\"lora\":false},"
                + "\"backhaulDetect\":{\"enabled\":false,\"payload\":\"FF\",\"port\":1,\"timeout\":300}}");
    }

    @Test
    void noApiVersionMeansTheTopicsOfApi10() throws Exception {
        String any = "lorawan/ff-ff-ff-ff-ff-ff-ff-ff/" + GW;
        Received init = MqttProbe.retained(cloudBroker.url(), any + "/init");
        assertNotNull(init, "init under lorawan/<APP>/<GW-UUID>");
        assertEquals("1.0", Json.MAPPER.readTree(init.payload()).get("api_version").asText());

        String dev = "00-80-00-ff-ff-00-00-82";
        cloud.subscribe("lorawan/#");
        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
        Received up = cloud.next("lorawan/" + APP + "/" + dev + "/up", 5);
        assertNotNull(up, "an uplink on API 1.0's topic");
    }
}
