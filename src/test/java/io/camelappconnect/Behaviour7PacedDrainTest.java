package io.camelappconnect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.ThroughRelays;
import io.camelappconnect.support.UplinkTally;
import io.camelappconnect.support.WithMosquitto;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7 with {@code mqtt.maxPublishRate}: a cloud that allows 100 publishes a second per connection (AWS
 * IoT Core) gets the 5,000 uplinks kept during an outage at that pace, none lost, in order, and never more than
 * 100 in any second. Real Mosquitto; the backhaul is a relay the test takes down.
 */
@WithMosquitto
@ThroughRelays
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour7PacedDrainTest extends BridgeTestSupport {

    private static final int RATE = 100;
    private static final int DEVICES = 50;
    private static final int PER_DEVICE = 100;
    private static final int SENT = DEVICES * PER_DEVICE;

    @Override
    protected void properties(Properties p) {
        p.setProperty("mqtt.maxPublishRate", String.valueOf(RATE));
    }

    @Test
    void aDrainOf5000KeptUplinksKeepsTo100ASecondInOrder() {
        cloud.subscribe("lorawan/" + GW + "/+/+/up");
        toCloud.down();
        await().alias("cloud connection down").atMost(10, TimeUnit.SECONDS)
                .until(() -> !broker("cloud").isConnected());
        for (int fcnt = 1; fcnt <= PER_DEVICE; fcnt++) {
            for (int d = 0; d < DEVICES; d++) {
                String dev = String.format("00-80-00-00-00-01-%02x-%02x", d / 256, d % 256);
                lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt));
            }
        }
        await().alias(SENT + " uplinks kept").atMost(60, TimeUnit.SECONDS)
                .until(() -> broker("cloud").state().waiting() >= SENT);

        toCloud.refuse(false);
        UplinkTally tally = new UplinkTally();
        List<Long> arrivals = Collections.synchronizedList(new ArrayList<>(SENT));
        try { // the probe notes when each came: how often Awaitility looks does not bunch them
            await().alias("all " + SENT + " kept uplinks on the cloud broker")
                    .atMost(2L * SENT / RATE, TimeUnit.SECONDS)
                    .pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> {
                        for (MqttProbe.Received r : cloud.available()) {
                            arrivals.add(r.nanos());
                            tally.add(r.topic(), r.payload());
                        }
                        return tally.distinct() >= SENT;
                    });
        } catch (ConditionTimeoutException e) {
            // what is missing is counted below
        }
        String summary = tally.summary("drain of " + SENT + " kept uplinks at mqtt.maxPublishRate=" + RATE, SENT);
        int busiest = busiestSecond(arrivals);
        double seconds = (arrivals.get(arrivals.size() - 1) - arrivals.get(0)) / 1e9;
        System.out.printf("%s; %.1f s from the first to the last, at most %d in one second%n", summary, seconds, busiest);
        assertEquals(SENT, tally.distinct(), summary);
        assertEquals(0, tally.outOfOrder(), summary);
        // the pace is set where the messages leave; a relay and a broker in between can only bunch them a little
        assertTrue(busiest <= RATE + RATE / 10, busiest + " arrived in one second");
        assertTrue(seconds >= (SENT - RATE) / (double) RATE, seconds + " s for " + SENT);
    }

    /** The most arrivals in any one-second window. */
    private static int busiestSecond(List<Long> arrivals) {
        int most = 0;
        int first = 0;
        for (int last = 0; last < arrivals.size(); last++) {
            while (arrivals.get(last) - arrivals.get(first) >= 1_000_000_000L) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }
}
