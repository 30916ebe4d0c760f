package io.camelappconnect;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.support.CloudOnHiveMq;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.RequestTestSupport;
import io.camelappconnect.support.ThroughRelays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 2-5 against a second real cloud broker, HiveMQ Community Edition (Mosquitto is the LNS's): what a
 * cloud sees of the bridge, uplinks and their retain flag, downlinks and clears, a request and its retained answer,
 * the will when the link drops and {@code connected} after it, and the subscriptions back after a broker restart.
 */
@CloudOnHiveMq
@ThroughRelays
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Behaviour3HiveMqInteropTest extends RequestTestSupport {

    @Test
    void anUplinkArrivesAndIsRetainedOnTheBroker() {
        String dev = "00-80-00-ff-ff-00-09-01";
        String topic = "lorawan/" + GW + "/" + APP + "/" + dev + "/up";
        cloud.subscribe(topic);
        String up = uplink(APP, dev, 1);
        lns.publish("lora/" + APP + "/" + dev + "/up", up);
        assertEquals(up, cloud.next(topic, 5).text());

        Received kept = MqttProbe.retained(cloudBroker.url(), topic);
        assertNotNull(kept, "HiveMQ kept it retained");
        assertTrue(kept.retained());
        assertEquals(up, kept.text());
    }

    @Test
    void aDownlinkAndAClearReachTheLns() {
        String dev = "00-80-00-ff-ff-00-09-02";
        lns.subscribe("lora/" + dev + "/down", "lora/" + dev + "/clear");
        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"" + dev + "\",\"data\":\"QA==\",\"port\":2}");
        assertNotNull(lns.next("lora/" + dev + "/down", 5), "the downlink");
        cloud.publish("lorawan/" + GW + "/clear", "{\"deveui\":\"" + dev + "\"}");
        assertNotNull(lns.next("lora/" + dev + "/clear", 5), "the clear");
    }

    @Test
    void aRequestIsAnsweredAndTheAnswerIsRetained() {
        int rid = rid();
        JsonNode answer = ask("lora", "{\"command\":\"device count\",\"rid\":" + rid + "}", rid);
        assertEquals(9, answer.path("result").path("count").asInt(), answer.toString()); // the stand-in's count

        Received kept = MqttProbe.retained(cloudBroker.url(), "lorawan/" + GW + "/lora_res");
        assertNotNull(kept, "the answer is retained (app.retain)");
        assertEquals(rid, read(kept.payload()).path("rid").asInt());
    }

    @Test
    void aDroppedLinkFiresTheWillAndTheReconnectSaysConnected() {
        cutTheCloudLinkAndSeeTheWillThenConnected();
    }

    @Test
    void afterABrokerRestartTheSubscriptionsAreBack() {
        long connects = broker("cloud").connects();
        cloud.close();
        cloudBroker.stop();
        cloudBroker.restart(); // in memory: the session is gone, so the bridge must subscribe again
        await().atMost(20, TimeUnit.SECONDS).until(() -> broker("cloud").connects() > connects
                && broker("cloud").isConnected());
        cloud = new MqttProbe(cloudBroker.url());

        String dev = "00-80-00-ff-ff-00-09-03";
        lns.subscribe("lora/" + dev + "/down");
        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"" + dev + "\",\"data\":\"QA==\"}");
        assertNotNull(lns.next("lora/" + dev + "/down", 5), "the down subscription is back");
    }
}
