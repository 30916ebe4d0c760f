package io.camelappconnect;

import java.util.List;
import java.util.Properties;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Uplinks during a cloud outage wait in memory (mqtt.bufferSize) and go out when the link returns; when the buffer
 * is full the oldest go, and the log says so and counts them; none of those kept is lost to the reconnect's own
 * packets (Paho's buffer would evict them). Real Mosquitto. (behaviour.md 7's disk store replaces this buffer.)
 */
@WithMosquitto
class OutageBufferTest extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("mqtt.bufferSize", "5");
    }

    @Test
    void theNewestUplinksAreDeliveredAfterTheOutageAndTheDroppedOnesAreCounted() {
        cloud.close();
        cloudBroker.stop();
        while (broker("cloud").isConnected()) {
            sleep(10);
        }
        for (int i = 1; i <= 8; i++) {
            String dev = "00-80-00-ff-ff-00-00-7" + i;
            lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, i));
        }
        assertNotNull(log.await(5, "cloud: 5 messages kept while disconnected", "the oldest are dropped"));

        cloudBroker.restart();
        awaitConnected("cloud");

        assertNotNull(log.await(5, "cloud: 3 messages were dropped while disconnected"));
        sleep(500);
        List<String> delivered = new java.util.ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String dev = "00-80-00-ff-ff-00-00-7" + i;
            if (MqttProbe.retained(cloudBroker.url(), "lorawan/" + GW + "/" + APP + "/" + dev + "/up") != null) {
                delivered.add(dev);
            }
        }
        assertEquals(List.of("00-80-00-ff-ff-00-00-74", "00-80-00-ff-ff-00-00-75", "00-80-00-ff-ff-00-00-76",
                "00-80-00-ff-ff-00-00-77", "00-80-00-ff-ff-00-00-78"), delivered);
        assertFalse(log.warnings().stream().anyMatch(w -> w.contains("ERROR")));
    }
}
