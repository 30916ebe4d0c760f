package io.camelappconnect;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 finding 2, one big message takes the link down for good: the app as its own JVM with config/jvm.options
 * (a 32 MiB heap), real Mosquitto for the cloud (its default limit lets a 256 MB message through). A 40 MB QoS 1
 * downlink comes on the cloud's down topic, then 1,000 uplinks from the LNS side. The big one is refused from its
 * first bytes (mqtt.maxIncomingBytes), WARNed once, and the cloud session discarded so that the broker does not send
 * it again at every reconnect; all 1,000 uplinks arrive, in order, and the process lives on.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour7OversizedDownlinkTest extends AppProcessTestSupport {

    private static final int BIG = 40 * 1024 * 1024;
    private static final int DEVICES = 10;
    private static final int PER_DEVICE = 100;
    private static final int SENT = DEVICES * PER_DEVICE;
    private static final String REFUSED = "(mqtt.maxIncomingBytes): refused unread";

    @Test
    void a40MbDownlinkIsRefusedOnceAndEveryUplinkAfterItArrivesInOrder() throws Exception {
        UplinkTally tally = new UplinkTally();
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess app = startAppAsDeployed(Map.of())) {
            app.await(30, "cloud: connected to");
            app.await(10, "lns: connected to");

            long sentAt = System.nanoTime();
            cloud.publish("lorawan/" + GW + "/down", new byte[BIG], false);
            String warned = app.await(30, REFUSED);
            app.await(30, "discarded");
            await().alias("the cloud connected again").atMost(30, TimeUnit.SECONDS)
                    .pollInterval(50, TimeUnit.MILLISECONDS).until(() -> app.count("cloud: connected to") >= 2);
            System.out.printf("40 MB downlink refused and the cloud back in %d ms: %s%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt), warned.replaceAll(".*\\] ", ""));

            for (int fcnt = 1; fcnt <= PER_DEVICE; fcnt++) {
                for (int d = 0; d < DEVICES; d++) {
                    String dev = String.format("00-80-00-00-00-00-00-%02x", d);
                    lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt));
                }
            }
            tally.collect(cloud, "", SENT, 60);
            System.out.println(tally.summary("a 40 MB downlink, then " + SENT + " uplinks", SENT));
            assertEquals(SENT, tally.distinct(), tally.summary("40 MB downlink", SENT));
            assertEquals(0, tally.outOfOrder(), tally.summary("40 MB downlink", SENT));
            assertTrue(app.isAlive(), "the app lives on:\n" + app.output());
            // not sent again: one refusal, and the cloud connected twice (at start, after the refusal)
            assertEquals(1, app.count(REFUSED), app.output());
            assertEquals(2, app.count("cloud: connected to"), app.output());
            assertEquals(0, app.count("OutOfMemoryError"), app.output());
            app.terminate();
        }
    }
}
