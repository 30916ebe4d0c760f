package io.camelappconnect;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 2: what the bridge takes from and gives to the gateway's network server, and where it goes. On
 * Mosquitto: embedded Moquette's session loop died on a PUBACK here twice in CI (IllegalReferenceCountException in
 * its Session.pubAckReceived, after a kept session reconnected), dropping the test's own probe.
 */
@WithMosquitto
class Behaviour2SouthboundTest extends BridgeTestSupport {

    @Test
    void uplinkIsForwardedByteForByteAtQos1Retained() {
        String dev = "00-80-00-ff-ff-00-00-03";
        String up = uplink(APP, dev, 1);
        String topic = "lorawan/" + GW + "/" + APP + "/" + dev + "/up";
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        lns.publish("lora/" + APP + "/" + dev + "/up", up);

        Received r = cloud.next(topic, 5);
        assertNotNull(r, "uplink reached the cloud");
        assertEquals(up, r.text());
        assertEquals(1, r.qos());
        Received kept = io.camelappconnect.support.MqttProbe.retained(cloudBroker.url(), topic);
        assertNotNull(kept, "uplink is retained");
        assertEquals(up, kept.text());
    }

    @Test
    void olderFirmwareUplinkTakesItsAppEuiFromTheJson() {
        String dev = "00-80-00-ff-ff-00-00-04";
        String up = uplink(APP, dev, 2);
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        lns.publish("lora/" + dev + "/up", up);

        Received r = cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/up", 5);
        assertNotNull(r);
        assertEquals(up, r.text());
    }

    @Test
    void euisInAnyFormAreNormalisedOnTheTopic() {
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        lns.publish("lora/8B6CF08EEEDF1BB6/00:80:00:FF:FF:00:00:05/up", uplink(APP, "00-80-00-ff-ff-00-00-05", 3));

        assertNotNull(cloud.next("lorawan/" + GW + "/" + APP + "/00-80-00-ff-ff-00-00-05/up", 5));
    }

    @Test
    void joinGainsDeveuiAndTime() throws Exception {
        String dev = "00-11-00-11-00-11-00-11";
        cloud.subscribe("lorawan/" + GW + "/+/+/joined");

        lns.publish("lora/" + dev + "/joined",
                "{\"joineui\":\"" + APP + "\",\"appeui\":\"" + APP + "\",\"gweui\":\"00-80-00-00-00-01-b5-fc\",\"remote\":false}");

        Received r = cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/joined", 5);
        assertNotNull(r);
        assertEquals(1, r.qos());
        JsonNode json = Json.MAPPER.readTree(r.payload());
        assertEquals(dev, json.get("deveui").asText());
        assertEquals("00-80-00-00-00-01-b5-fc", json.get("gweui").asText());
        assertFalse(json.get("remote").asBoolean());
        assertTrue(json.get("time").asText().endsWith("Z"), "UTC time: " + json.get("time"));
        assertNotNull(io.camelappconnect.support.MqttProbe.retained(cloudBroker.url(), r.topic()));
    }

    @Test
    void movedCarriesTheGatewayList() {
        String dev = "00-80-00-ff-ff-00-00-06";
        String gateways = "[\"00-80-00-00-d0-00-01-ff\"]";
        cloud.subscribe("lorawan/" + GW + "/+/+/moved");

        lns.publish("lora/" + APP + "/" + dev + "/moved", gateways);

        Received r = cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/moved", 5);
        assertNotNull(r);
        assertEquals(gateways, r.text());
    }

    @Test
    void downlinkReachesTheLnsWithEveryKeyAndANormalisedEui() throws Exception {
        lns.subscribe("lora/+/down");

        cloud.publish("lorawan/" + GW + "/down",
                "{\"deveui\":\"0080000000000003\",\"data\":\"QA==\",\"port\":1,\"ack\":false,\"rx_wnd\":2,\"x-own\":\"kept\"}");

        Received r = lns.next("lora/00-80-00-00-00-00-00-03/down", 5);
        assertNotNull(r);
        assertEquals(1, r.qos());
        assertFalse(r.retained());
        assertEquals(Map.of("deveui", "00-80-00-00-00-00-00-03", "data", "QA==", "port", 1, "ack", false, "rx_wnd", 2,
                "x-own", "kept"), Json.MAPPER.readValue(r.payload(), Map.class));
        assertNull(io.camelappconnect.support.MqttProbe.retained(lnsBroker.url(), r.topic()), "downlinks are not retained");
    }

    @Test
    void clearEmptiesTheDevicesQueue() {
        lns.subscribe("lora/+/clear");

        cloud.publish("lorawan/" + GW + "/clear", "{\"deveui\":\"00-80-00-FF-FF-00-00-03\"}");

        Received r = lns.next("lora/00-80-00-ff-ff-00-00-03/clear", 5);
        assertNotNull(r);
        assertEquals(0, r.payload().length);
        assertEquals(1, r.qos());
    }
}
