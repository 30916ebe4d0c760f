package io.camelappconnect;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7, a stop in the middle of a long drain (issue 20, finding 5): the app, as its own process, keeps
 * 100,000 uplinks (store.maxMessages) during a backhaul outage; the link comes back, and while the kept uplinks go
 * out it gets a SIGTERM, as systemd or a LENS change stops it. The stop interrupts the store's reads; what is not
 * acknowledged yet must stay on disk. Started again, it sends the rest: all 100,000 arrive, in order per device.
 * Real Mosquitto for the LNS and the cloud; the backhaul is a TCP relay the test takes down.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class Behaviour7StopDuringALongDrainTest extends AppProcessTestSupport {

    private static final int PORT = EmbeddedBroker.freePort();
    private static final int DEVICES = 100;
    private static final int PER_DEVICE = 1_000;
    private static final int SENT = DEVICES * PER_DEVICE;
    private static final Pattern WAITING = Pattern.compile("\"cloud\\.waiting\"\\s*:\\s*(\\d+)");

    @Test
    void aSigtermDuringADrainOf100000UplinksLosesNoneOfThem() throws Exception {
        UplinkTally tally = new UplinkTally();
        // room for the init message of each connect beside the 100,000 uplinks: the store drops its oldest when full
        Map<String, String> settings = Map.of("management.enabled", "true", "management.port", String.valueOf(PORT),
                "store.maxMessages", String.valueOf(SENT + 100));
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess first = startApp(settings)) {
            first.await(30, "cloud: connected to");
            first.await(10, "lns: connected to");
            backhaul.down();
            first.await(10, "cloud: connection to " + backhaul.url() + " lost");
            publishUplinks(lns, DEVICES, 1, PER_DEVICE);
            await().alias("all " + SENT + " uplinks kept").atMost(120, TimeUnit.SECONDS)
                    .pollInterval(1, TimeUnit.SECONDS).until(this::waiting, n -> n >= SENT);

            backhaul.refuse(false);
            await().alias("the drain under way").atMost(60, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                    .until(() -> {
                        tally.addAll(cloud.available(), "");
                        return tally.distinct() >= SENT / 100;
                    });
            long stop = System.nanoTime();
            int exit = first.terminate();
            long stopMs = (System.nanoTime() - stop) / 1_000_000;
            tally.addAll(cloud.available(), "");
            int atStop = tally.distinct();
            assertTrue(atStop < SENT && first.count("kept messages wait for the next connect") == 1,
                    "the SIGTERM came after the drain ended (" + atStop + " arrived); the test proves nothing");
            System.out.println("SIGTERM after " + atStop + " of " + SENT + " kept uplinks arrived: exit " + exit
                    + " in " + stopMs + " ms");

            try (AppProcess second = startApp(settings)) {
                String kept = second.await(30, "messages kept in");
                tally.collect(cloud, "", SENT, 180);
                String summary = tally.summary("SIGTERM during a drain of " + SENT + " (then "
                        + kept.replaceAll(".*\\] ", "") + ")", SENT);
                System.out.println(summary);
                assertEquals(SENT, tally.distinct(), summary);
                assertEquals(0, tally.outOfOrder(), summary);
                second.terminate();
            }
            try (AppProcess third = startApp(settings)) { // each file deleted once the cloud had all of it
                third.await(30, "cloud: connected to");
                assertEquals(0, third.count("messages kept in"), third.output());
                third.terminate();
            }
        }
    }

    /** What the cloud link keeps, as health's details say while it is DOWN (an UP health has no details). */
    private int waiting() throws Exception {
        Matcher m = WAITING.matcher(Http.get(PORT, "/observe/health?data=true").body());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
