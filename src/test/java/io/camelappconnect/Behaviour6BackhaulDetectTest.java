package io.camelappconnect;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 6: while the cloud is unreachable, each device heard gets lora/DEV/down with the configured payload,
 * at most one per timeout, the first at once; the uplinks still reach the cloud when it is back, and then none
 * gets a downlink. Real Mosquitto.
 */
@WithMosquitto
class Behaviour6BackhaulDetectTest extends BackhaulDetectTestSupport {

    @Override
    protected void properties(Properties p) {
        enable(p, 2);
    }

    /** A downlink and when the test saw it. */
    private record Heard(Received message, long at) {
    }

    @Test
    void oneDownlinkPerDevicePerTimeoutDuringAnOutageAndNoneOnceTheLinkIsBack() {
        lns.subscribe("lora/+/down");
        cloudDown();

        // uplinks from each device every 0.5 s for 5 s: rounds 0 to 9
        long[] sent = new long[10];
        List<Heard> heard = new ArrayList<>();
        long start = System.nanoTime();
        for (int round = 0; round < sent.length; round++) {
            heard.addAll(downlinksUntil(start + round * 500 * MS));
            sent[round] = System.nanoTime();
            for (String dev : DEVICES) {
                sendUplink(dev, round);
            }
        }
        heard.addAll(downlinksUntil(sent[sent.length - 1] + 1000 * MS));

        int ours = 0;
        for (String dev : DEVICES) {
            List<Heard> mine = heard.stream().filter(h -> h.message().topic().equals("lora/" + dev + "/down")).toList();
            ours += mine.size();
            assertFalse(mine.isEmpty(), dev + ": no downlink");
            for (Heard h : mine) {
                assertEquals(DOWNLINK, h.message().text());
                assertEquals(1, h.message().qos());
                assertFalse(h.message().retained());
            }
            assertTrue(mine.get(0).at() - sent[0] < AT_ONCE,
                    dev + ": first downlink " + (mine.get(0).at() - sent[0]) / MS + " ms after the first uplink");
            assertThrottled(dev, sent, mine.stream().map(h -> roundOf(sent, h.at())).toList());
        }
        assertEquals(ours, heard.size(), "downlinks to other devices: " + heard);

        cloudBack();
        // the uplinks were kept meanwhile: the last ones are on the cloud now
        awaitOnCloud(sent.length - 1, DEVICES);
        // with the link up, uplinks over more than a timeout: each reaches the cloud, none gets a downlink
        for (int round = 10; round < 16; round++) {
            sleep(500); // a sleep: the uplinks' pace, a round each half second
            for (String dev : DEVICES) {
                sendUplink(dev, round);
            }
            awaitOnCloud(round, DEVICES);
        }
        assertEquals(List.of(), lns.drain(0.5).stream().map(Received::topic).toList());
    }

    /**
     * The throttle lets an uplink through when at least the timeout (2 s) has passed since the device's last
     * downlink, by the bridge's clock. Rounds go every 0.5 s, so the 4th round after a downlink lands exactly on
     * that boundary, and a few ms of handling decide whether it or the next one triggers: downlinks at 0, 2.0 and
     * 4.0 s, or 0, 2.5 and 4.5 s, or 0 and 2.5 s (4.5 on the boundary again) are all right. (The first round is
     * handled slowest, on cold code, so 2.5 s is the usual second one.) Exact everywhere else, judged by when the
     * test sent each round, which a loaded machine may do late: a round less than the timeout minus the slack
     * after the last downlink must not trigger, one at least the timeout plus the slack after it must. The slack,
     * half the rounds' spacing, absorbs up to 250 ms of jitter in handling and leaves only the boundary open.
     */
    private static void assertThrottled(String dev, long[] sent, List<Integer> rounds) {
        long timeout = 2000 * MS;
        long slack = 250 * MS;
        assertEquals(0, rounds.get(0), dev + ": rounds " + rounds);
        int last = 0;
        for (int round = 1; round < sent.length; round++) {
            long since = sent[round] - sent[last];
            boolean triggered = rounds.contains(round);
            if (since < timeout - slack) {
                assertFalse(triggered, dev + ": round " + round + " " + since / MS + " ms after a downlink; rounds " + rounds);
            } else if (since >= timeout + slack) {
                assertTrue(triggered, dev + ": round " + round + " " + since / MS + " ms after a downlink; rounds " + rounds);
            }
            if (triggered) {
                last = round;
            }
        }
        assertEquals(rounds.stream().distinct().toList(), rounds, dev + ": two downlinks for one round");
    }

    /** The round a downlink answers: the last one sent before it arrived (each comes within milliseconds). */
    private static int roundOf(long[] sent, long at) {
        int round = 0;
        while (round + 1 < sent.length && sent[round + 1] <= at) {
            round++;
        }
        return round;
    }

    private List<Heard> downlinksUntil(long deadline) {
        List<Heard> heard = new ArrayList<>();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            Received r = lns.next(left / 1e9);
            if (r != null) {
                heard.add(new Heard(r, System.nanoTime()));
            }
        }
        return heard;
    }
}
