package io.camelappconnect;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.SteppedWallClock;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 #9, behaviour.md 7: the wall clock set back 2 hours during a backhaul outage (NTP stepping the clock of a
 * gateway without RTC), the app as its own JVM under libfaketime ({@link SteppedWallClock}), between two real
 * Mosquittos. When the link is back the cloud connection is made again within its reconnect backoff, not 2 hours
 * later, and every uplink arrives, those kept on disk during the outage too: none lost, none out of order per device,
 * duplicates counted. Health DOWN during the outage, UP after. The app's own log says its clock did step.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour7CloudOutageClockStepTest extends AppProcessTestSupport {

    private static final Duration STEP = Duration.ofHours(2);
    private static final int DEVICES = 10;
    /** Per device: live before the outage, during it (half before the step, half after), live after it. */
    private static final int BEFORE = 10;
    private static final int DURING = 50;
    private static final int AFTER = 10;
    private static final int SENT = DEVICES * (BEFORE + DURING + AFTER);
    private static final long RECONNECT_MAX_MS = 1000;
    /** What reconnecting may take beyond the backoff here (2 shared cores): not 2 hours. */
    private static final long SLACK_MS = 4000;
    private static final int PORT = EmbeddedBroker.freePort();

    @TempDir
    Path clockDir;

    @Test
    void theClockSetBack2HoursDuringAnOutageStretchesNoReconnectAndLosesNoUplink() throws Exception {
        SteppedWallClock clock = new SteppedWallClock(clockDir);
        UplinkTally tally = new UplinkTally();
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess app = startApp(Map.of("mqtt.reconnect.maxDelay", String.valueOf(RECONNECT_MAX_MS),
                     "management.enabled", "true", "management.port", String.valueOf(PORT)), clock.environment())) {
            app.await(30, "cloud: connected to");
            app.await(10, "lns: connected to");
            assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode());
            publishUplinks(lns, DEVICES, 1, BEFORE);
            tally.collect(cloud, "", DEVICES * BEFORE, 20);

            backhaul.down();
            String lost = app.await(10, "cloud: connection to " + backhaul.url() + " lost");
            Duration before = SteppedWallClock.behind(lost, Instant.now());
            publishUplinks(lns, DEVICES, BEFORE + 1, BEFORE + DURING / 2);
            assertEquals(503, Http.awaitStatus(PORT, "/observe/health", 503, 10).statusCode(), "DOWN in the outage");

            clock.stepBack(STEP);
            publishUplinks(lns, DEVICES, BEFORE + DURING / 2 + 1, BEFORE + DURING);
            // some reconnect attempts pass on the clock set back, the link still down, health DOWN throughout
            await().alias("health DOWN while the link is down").during(3, TimeUnit.SECONDS)
                    .atMost(5, TimeUnit.SECONDS).until(() -> Http.get(PORT, "/observe/health").statusCode() == 503);
            HttpResponse<String> down = Http.get(PORT, "/observe/health?data=true");
            assertTrue(down.body().contains("\"cloud.connected\":false"), down.body());

            long back = System.nanoTime();
            backhaul.refuse(false);
            await().alias("the cloud connected again").atMost(RECONNECT_MAX_MS + SLACK_MS, TimeUnit.MILLISECONDS)
                    .pollInterval(20, TimeUnit.MILLISECONDS).until(() -> app.count("cloud: connected to") >= 2);
            long reconnectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
            String connected = app.lastLine("cloud: connected to");
            Duration after = SteppedWallClock.behind(connected, Instant.now());
            assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode(), "UP after");

            publishUplinks(lns, DEVICES, BEFORE + DURING + 1, BEFORE + DURING + AFTER);
            tally.collect(cloud, "", SENT, 60);
            String summary = tally.summary("cloud outage, the clock set back 2 h during it", SENT);
            System.out.printf("%s; connected again %d ms after the link came back; the app's clock %d s behind before"
                            + " the step, %d s after; health then: %s%n", summary, reconnectedMs, before.toSeconds(),
                    after.toSeconds(), down.body());
            // the fake took effect: otherwise this test proves nothing
            assertTrue(before.abs().compareTo(Duration.ofMinutes(1)) < 0, "the app's clock was real before: " + lost);
            assertTrue(after.minus(STEP).abs().compareTo(Duration.ofMinutes(1)) < 0,
                    "the app's clock 2 h behind after the step: " + connected);
            assertEquals(SENT, tally.distinct(), summary);
            assertEquals(0, tally.outOfOrder(), summary);
            app.terminate();
        }
    }
}
