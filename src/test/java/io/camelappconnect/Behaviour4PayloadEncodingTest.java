package io.camelappconnect;

import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** behaviour.md 4: encodeHex on, payloads in hex towards the cloud and from it. */
class Behaviour4PayloadEncodingTest extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.encodeHex", "true");
    }

    @Test
    void uplinkDataBecomesLowerCaseHexMarkedAsSuch() throws Exception {
        String dev = "00-80-00-ff-ff-00-00-21";
        String up = uplink(APP, dev, 1);
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        lns.publish("lora/" + APP + "/" + dev + "/up", up);

        Received r = cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/up", 5);
        assertNotNull(r);
        ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(up);
        expected.put("data", "7465737464617461"); // "testdata"
        expected.put("data-format", "hexadecimal");
        assertEquals(expected, Json.MAPPER.readTree(r.payload()));
    }

    @Test
    void downlinkDataInHexReachesTheLnsAsBase64() throws Exception {
        lns.subscribe("lora/+/down");

        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-22\",\"data\":\"40FF\",\"port\":2}");

        Received r = lns.next("lora/00-80-00-ff-ff-00-00-22/down", 5);
        assertNotNull(r);
        assertEquals("QP8=", Json.MAPPER.readTree(r.payload()).get("data").asText());
        assertEquals(2, Json.MAPPER.readTree(r.payload()).get("port").asInt());
    }

    @Test
    void downlinkDataThatIsNotHexIsRefusedNamingTheDevice() {
        lns.subscribe("lora/+/down");

        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-23\",\"data\":\"QA==\"}");
        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-24\",\"data\":\"0a\"}");

        assertNotNull(log.await(5, "lorawan/" + GW + "/down", "00-80-00-ff-ff-00-00-23", "not hex"));
        Received next = lns.next(5);
        assertNotNull(next);
        assertEquals("lora/00-80-00-ff-ff-00-00-24/down", next.topic(), "the refused one was not sent on");
        assertNull(lns.next(0.5));
    }

    @Test
    void uplinkDataThatIsNotBase64IsRefused() {
        String dev = "00-80-00-ff-ff-00-00-25";
        cloud.subscribe("lorawan/" + GW + "/+/" + dev + "/up");

        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1).replace("dGVzdGRhdGE=", "*not base64*"));

        assertNotNull(log.await(5, "lora/" + APP + "/" + dev + "/up", "not base64"));
        assertNull(cloud.next(0.5));
    }
}
