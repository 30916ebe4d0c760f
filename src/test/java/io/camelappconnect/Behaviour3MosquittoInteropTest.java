package io.camelappconnect;


import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.ThroughRelays;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3 against two real Mosquitto brokers: the retain flag as subscribers see it, a stale retained
 * command, and the will when the link drops. The bridge reaches the cloud broker through a proxy that can cut it.
 */
@WithMosquitto
@ThroughRelays
class Behaviour3MosquittoInteropTest extends BridgeTestSupport {

    private static final String STALE_DEVICE = "00-80-00-ff-ff-00-00-0a";
    private static MqttProbe lnsBeforeBridge;

    /** Runs after the brokers start and before the first bridge does. */
    @BeforeAll
    static void staleCommand() throws Exception {
        lnsBeforeBridge = new MqttProbe(lnsBroker.url()).subscribe("lora/" + STALE_DEVICE + "/down");
        try (MqttProbe someone = new MqttProbe(cloudBroker.url())) {
            someone.publish("lorawan/" + GW + "/down",
                    ("{\"deveui\":\"" + STALE_DEVICE + "\",\"data\":\"Ag==\"}").getBytes(), true);
        }
    }

    @AfterAll
    static void closeProbe() throws Exception {
        lnsBeforeBridge.close();
    }

    @Test
    void aStaleRetainedDownlinkIsHandledOnceAndClearedFromTheBroker() {
        assertNotNull(lnsBeforeBridge.next("lora/" + STALE_DEVICE + "/down", 5), "handled");
        await().alias("the stale command cleared from the broker").atMost(5, TimeUnit.SECONDS)
                .until(() -> MqttProbe.retained(cloudBroker.url(), "lorawan/" + GW + "/down") == null);
        assertNull(lnsBeforeBridge.next(1.0), "handled once");
    }

    @Test
    void uplinksAreRetainedOnTheWire() {
        String dev = "00-80-00-ff-ff-00-00-0b";
        String up = uplink(APP, dev, 1);
        String topic = "lorawan/" + GW + "/" + APP + "/" + dev + "/up";
        cloud.subscribe(topic);
        lns.publish("lora/" + APP + "/" + dev + "/up", up);
        assertNotNull(cloud.next(topic, 5));

        Received kept = MqttProbe.retained(cloudBroker.url(), topic);

        assertNotNull(kept);
        assertTrue(kept.retained(), "a new subscriber gets it with the retain flag");
        assertEquals(up, kept.text());
        assertEquals(1, kept.qos());
    }

    @Test
    void aDroppedLinkFiresTheWillAndTheReconnectSaysConnected() {
        cutTheCloudLinkAndSeeTheWillThenConnected();
    }

    @Test
    void aRetainedCommandHandledLiveIsNotRunAgainAfterAReconnect() {
        String dev = "00-80-00-ff-ff-00-00-0c";
        lns.subscribe("lora/" + dev + "/down");
        cloud.subscribe("lorawan/" + GW + "/connected");
        cloud.publish("lorawan/" + GW + "/down", ("{\"deveui\":\"" + dev + "\",\"data\":\"Aw==\"}").getBytes(), true);
        assertNotNull(lns.next("lora/" + dev + "/down", 5));
        sleep(300); // its PUBACK reaches the broker: cut before that, QoS 1 rightly brings it again

        toCloud.cut();

        assertNotNull(cloud.next("lorawan/" + GW + "/connected", 10), "reconnected");
        assertNull(lns.next(2.0), "the broker kept the session: no new SUBSCRIBE, so no second delivery");
    }
}
