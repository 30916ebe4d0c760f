package io.camelappconnect;

import java.io.IOException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AzureTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TcpProxy;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 12 with 7: MQTT mode's guarantees hold on a hub. The backhaul to the hub goes down (a relay cuts the
 * TLS connection and refuses new ones) while the LNS goes on: what comes meanwhile waits in the disk store, health is
 * DOWN, and once the hub can be reached again everything arrives, in order per device, and C2D messages come again.
 */
@Timeout(90)
class Behaviour12AzureOutageTest extends AzureTestSupport {

    static final int DEVICES = 10;
    static final int EACH_PHASE = 200;
    static TcpProxy toHub;

    @BeforeAll
    static void aRelayToTheHub() throws IOException {
        toHub = new TcpProxy(hub.port());
    }

    @AfterAll
    static void stopTheRelay() throws IOException {
        toHub.close();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.url", "mqtts://127.0.0.1:" + toHub.port());
    }

    @Test
    void whatComesWhileTheHubCantBeReachedWaitsInTheStoreAndArrivesInOrder() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> cloud().connected());
        try (MqttProbe gateway = new MqttProbe(lnsBroker.url())) {
            publish(gateway, 0);
            toHub.down();
            await().atMost(10, TimeUnit.SECONDS).until(() -> !cloud().connected());
            publish(gateway, 1);
            await().atMost(10, TimeUnit.SECONDS).until(() -> cloud().waiting() > 0);
            assertTrue(cloud().lastCause() != null && !cloud().lastCause().isEmpty(), "health DOWN says why");
            toHub.refuse(false);
            publish(gateway, 2);

            int sent = 3 * EACH_PHASE;
            UplinkTally tally = new UplinkTally();
            await().atMost(30, TimeUnit.SECONDS).until(() -> hub.d2c().stream()
                    .filter(d -> "up".equals(d.properties().get("event"))).count() >= sent);
            hub.d2c().stream().filter(d -> "up".equals(d.properties().get("event")))
                    .forEach(d -> tally.add(d.topic(), d.payload()));
            String summary = tally.summary("hub unreachable", sent);
            System.out.println(summary);
            assertEquals(sent, tally.distinct(), summary);
            assertEquals(0, tally.outOfOrder(), summary);
            await().atMost(10, TimeUnit.SECONDS).until(() -> cloud().waiting() == 0);
        }
        assertTrue(cloud().connected());
        assertTrue(hub.takesMethods(), "subscribed again after the outage");
        assertEquals(List.of(), hub.closures(), "the hub's rules closed no connection");
    }

    /** One phase: EACH_PHASE uplinks over DEVICES devices, each device's fcnt going on from the last phase. */
    private static void publish(MqttProbe gateway, int phase) {
        for (int i = 0; i < EACH_PHASE; i++) {
            int n = phase * EACH_PHASE + i;
            String dev = String.format("00-80-00-00-00-0e-00-%02x", n % DEVICES);
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, n / DEVICES + 1));
        }
    }
}
