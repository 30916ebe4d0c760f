package io.camelappconnect;

import java.util.Properties;

import io.camelappconnect.message.Json;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 8: uplinkTopic and downlinkTopic templates in the mPower syntax, and the app.eui filter. */
class Behaviour8TopicTemplatesAndFilterTest extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.options.uplinkTopic", "site/%(gwserial)s/%(appeui)s/%(deveui)s/port-%(port)s");
        p.setProperty("app.options.downlinkTopic", "site/%(gwuuid)s/dev-%(deveui)s/cmd");
        p.setProperty("app.eui", APP.toUpperCase().replace("-", ""));
    }

    @Test
    void uplinkGoesToTheTemplateFilledFromTopicGatewayAndJson() {
        String dev = "00-80-00-ff-ff-00-00-31";
        cloud.subscribe("site/+/+/" + dev + "/#");

        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));

        Received r = cloud.next(5);
        assertNotNull(r);
        assertEquals("site/18581234/" + APP + "/" + dev + "/port-33", r.topic());
    }

    @Test
    void aTemplateFieldTheUplinkLacksFallsBackToTheDefaultTopicWithAWarning() {
        String dev = "00-80-00-ff-ff-00-00-32";
        String noPort = uplink(APP, dev, 1).replace("\"port\":33,", "");
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        lns.publish("lora/" + APP + "/" + dev + "/up", noPort);

        Received r = cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/up", 5);
        assertNotNull(r, "sent to the default topic, not dropped");
        assertEquals(noPort, r.text());
        assertNotNull(log.await(1, "uplinkTopic", dev));
    }

    @Test
    void downlinkTemplateBecomesAWildcardSubscriptionAndTheDeviceIsReadFromTheTopic() throws Exception {
        assertTrue(embedded(cloudBroker).subscriptions().stream().anyMatch(s -> s.endsWith(" site/" + GW + "/+/cmd")),
                embedded(cloudBroker).subscriptions().toString());
        lns.subscribe("lora/+/down");

        cloud.publish("site/" + GW + "/dev-0080000000000033/cmd", "{\"data\":\"QA==\",\"port\":5}");

        Received r = lns.next("lora/00-80-00-00-00-00-00-33/down", 5);
        assertNotNull(r);
        assertEquals("00-80-00-00-00-00-00-33", Json.MAPPER.readTree(r.payload()).get("deveui").asText());
    }

    @Test
    void onlyDevicesOfTheConfiguredAppEuiAreForwarded() {
        String other = "11-22-33-44-55-66-77-88";
        cloud.subscribe("site/+/+/00-80-00-ff-ff-00-00-34/#", "site/+/+/00-80-00-ff-ff-00-00-36/#",
                "lorawan/" + GW + "/+/00-80-00-ff-ff-00-00-34/+", "lorawan/" + GW + "/+/00-80-00-ff-ff-00-00-35/+");

        lns.publish("lora/" + other + "/00-80-00-ff-ff-00-00-34/up", uplink(other, "00-80-00-ff-ff-00-00-34", 1));
        lns.publish("lora/00-80-00-ff-ff-00-00-35/joined", "{\"appeui\":\"" + other + "\",\"gweui\":\"00-80-00-00-d0-00-01-ff\"}");
        lns.publish("lora/" + APP + "/00-80-00-ff-ff-00-00-36/up", uplink(APP, "00-80-00-ff-ff-00-00-36", 1));

        Received r = cloud.next(5);
        assertNotNull(r);
        assertTrue(r.topic().contains("00-80-00-ff-ff-00-00-36"), r.topic());
        assertNull(cloud.next(0.5), "the other AppEUI's uplink and join stayed on the gateway");
    }
}
