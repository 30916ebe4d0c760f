package io.camelappconnect;

import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 7, store full, and the store left alone while the link is up (a gateway's flash wears): uplinks during a cloud outage wait in the store (store.maxMessages=5 here) and go out
 * when the link returns; when it is full the oldest go, the log says so and counts them, and the bridge goes on
 * forwarding. None of those kept is lost to the reconnect's own packets (Paho's buffer would evict them). Real
 * Mosquitto.
 */
@WithMosquitto
class Behaviour7StoreFullTest extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("store.maxMessages", "5");
    }

    @Test
    void nothingIsWrittenToDiskWhileTheLinkIsUp() {
        cloud.subscribe("lorawan/" + GW + "/+/+/up");
        long before = broker("cloud").state().kept(); // init may be kept if published before the first CONNACK
        for (int i = 1; i <= 500; i++) {
            String dev = "00-80-00-ff-ff-00-01-" + String.format("%02x", i % 100);
            lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, i));
        }
        assertEquals(500, cloud.drain(3).size());
        assertEquals(before, broker("cloud").state().kept(), "flash wears: the store is for outages only");
    }

    @Test
    void theNewestUplinksAreDeliveredAfterTheOutageAndTheDroppedOnesAreCounted() {
        cloud.close();
        cloudBroker.stop();
        await().alias("the bridge sees the cloud broker gone").atMost(10, TimeUnit.SECONDS)
                .pollInterval(10, TimeUnit.MILLISECONDS).until(() -> !broker("cloud").isConnected());
        for (int i = 1; i <= 8; i++) {
            String dev = "00-80-00-ff-ff-00-00-7" + i;
            lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, i));
        }
        assertNotNull(log.await(5, "cloud: store full (store.maxMessages=5, store.maxMiB=64): the oldest messages are"
                + " dropped"));

        cloudBroker.restart();
        awaitConnected("cloud");

        assertNotNull(log.await(5, "cloud: 3 messages were dropped while the broker was away (store full)"));
        // the devices above whose uplink reached the broker (retained, when before this subscriber came)
        Set<String> delivered = new ConcurrentSkipListSet<>();
        try (MqttProbe retained = new MqttProbe(cloudBroker.url())) {
            retained.subscribe("lorawan/" + GW + "/" + APP + "/+/up");
            // kept ones go oldest first: a dropped one sent after all would come before these, so this is complete
            await().alias("the 5 newest uplinks delivered").atMost(5, TimeUnit.SECONDS)
                    .pollInterval(50, TimeUnit.MILLISECONDS)
                    .untilAsserted(() -> {
                        retained.available().stream().map(r -> r.topic().split("/")[3])
                                .filter(dev -> dev.startsWith("00-80-00-ff-ff-00-00-7")).forEach(delivered::add);
                        assertEquals(List.of("00-80-00-ff-ff-00-00-74", "00-80-00-ff-ff-00-00-75",
                                "00-80-00-ff-ff-00-00-76", "00-80-00-ff-ff-00-00-77", "00-80-00-ff-ff-00-00-78"),
                                List.copyOf(delivered));
                    });
        }
        assertFalse(log.warnings().stream().anyMatch(w -> w.contains("ERROR")));

        String after = "00-80-00-ff-ff-00-00-79"; // still forwarding
        lns.publish("lora/" + APP + "/" + after + "/up", uplink(APP, after, 9));
        try (MqttProbe fresh = new MqttProbe(cloudBroker.url())) {
            fresh.subscribe("lorawan/" + GW + "/" + APP + "/" + after + "/up");
            assertNotNull(fresh.next(5));
        }
        assertEquals(0, broker("cloud").state().waiting());
    }
}
