package io.camelappconnect;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 6 against a real outage: the cloud broker stopped and started again. One test class per
 * timeout: Camel's test support reads a test's settings when it constructs the test.
 */
abstract class BackhaulDetectTestSupport extends BridgeTestSupport {

    static final long MS = 1_000_000L;
    /** app.backhaulDetect.payload 01ff on port 7, as the LNS wants it: data in base64. */
    static final String DOWNLINK = "{\"port\":7,\"data\":\"Af8=\"}";
    /** The last one on the older firmware's topic, lora/DEV/up, its EUI in another form. */
    static final List<String> DEVICES =
            List.of("00-80-00-ff-ff-00-0b-01", "00-80-00-ff-ff-00-0b-02", "00-80-00-ff-ff-00-0b-03");
    static final long AT_ONCE = 300 * MS;

    /** On, payload 01ff on port 7, this timeout in seconds. */
    static void enable(Properties p, int timeout) {
        p.setProperty("app.backhaulDetect.enabled", "true");
        p.setProperty("app.backhaulDetect.payload", "01ff");
        p.setProperty("app.backhaulDetect.port", "7");
        p.setProperty("app.backhaulDetect.timeout", String.valueOf(timeout));
    }

    void cloudDown() {
        if (cloud != null) {
            cloud.close();
            cloud = null;
        }
        cloudBroker.stop();
        await().alias("the bridge's cloud connection down").atMost(10, TimeUnit.SECONDS)
                .pollInterval(10, TimeUnit.MILLISECONDS).until(() -> !broker("cloud").isConnected());
    }

    void cloudBack() {
        cloudBroker.restart();
        awaitConnected("cloud");
        cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
    }

    void sendUplink(String dev, int fcnt) {
        lns.publish(lnsTopic(dev), uplink(APP, dev, fcnt));
    }

    /** An uplink now, and its downlink within AT_ONCE. */
    void assertDownlinkAtOnce(String dev, int fcnt) {
        long t = System.nanoTime();
        sendUplink(dev, fcnt);
        Received r = lns.next("lora/" + dev + "/down", AT_ONCE / 1e9);
        assertNotNull(r, dev + ": no downlink within " + AT_ONCE / MS + " ms");
        assertEquals(DOWNLINK, r.text());
        assertTrue(System.nanoTime() - t < AT_ONCE);
    }

    /**
     * Waits for each device's uplink {@code fcnt}, exactly as sent, on its cloud topic (live, or retained when it
     * came before the subscription).
     */
    void awaitOnCloud(int fcnt, List<String> devs) {
        Map<String, String> awaited = new HashMap<>();
        devs.forEach(dev -> awaited.put("lorawan/" + GW + "/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt)));
        long end = System.nanoTime() + 10_000 * MS;
        for (long left; !awaited.isEmpty() && (left = end - System.nanoTime()) > 0; ) {
            Received r = cloud.next(left / 1e9);
            if (r != null) {
                awaited.remove(r.topic(), r.text());
            }
        }
        assertEquals(Map.of(), awaited, "not on the cloud");
    }

    private static String lnsTopic(String dev) {
        return dev.equals(DEVICES.get(2)) ? "lora/" + dev.replace("-", "").toUpperCase() + "/up"
                : "lora/" + APP + "/" + dev + "/up";
    }
}
