package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.AppnetsStandIn;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.SteppedWallClock;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 #9, behaviour.md 10: the wall clock set back 2 hours, the app as its own JVM under libfaketime
 * ({@link SteppedWallClock}), with API 1.0 and LENS application networks read every second (appnet.refresh) from the
 * lora-query stand-in, a process the app starts (under libfaketime too, as on a gateway the whole system's clock
 * steps). An application that comes in the list after the step is connected within the refresh, not 2 hours later
 * (java.util.Timer behind a {@code timer:} route would sleep through them), and its device's uplinks reach its broker:
 * none lost, none out of order. The app's own log says its clock did step.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Behaviour10AppNetworksClockStepTest extends AppProcessTestSupport {

    @BeforeAll
    static void inOrder() throws IOException {
        lnsBrokerInOrder();
    }

    private static final Duration STEP = Duration.ofHours(2);
    private static final String APP_A = "aa-aa-aa-aa-aa-aa-aa-01";
    private static final String DEV_A = "00-80-00-ff-ff-00-0a-01";
    private static final String CONNECTION_A = "app-aaaaaaaaaaaaaa01";
    private static final long REFRESH_MS = 1000;
    /** What connecting may take beyond the refresh here (2 shared cores, a lora-query run): not 2 hours. */
    private static final long SLACK_MS = 4000;
    private static final int UPLINKS = 100;

    @TempDir
    Path clockDir;

    @Test
    void anApplicationListedAfterTheClockIsSetBack2HoursIsConnectedWithinTheRefresh() throws Exception {
        SteppedWallClock clock = new SteppedWallClock(clockDir);
        AppnetsStandIn standIn = AppnetsStandIn.create();
        standIn.list();
        try (MqttProbe a = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + APP_A + "/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess app = startApp(Map.of("app.apiVersion", "1.0", "loraQuery.command",
                     standIn.command().toString(), "appnet.refresh", String.valueOf(REFRESH_MS)),
                     clock.environment())) {
            String connected = app.await(30, "cloud: connected to");
            Duration before = SteppedWallClock.behind(connected, Instant.now());
            app.await(10, "lns: connected to");

            clock.stepBack(STEP);
            // some refreshes pass on the clock set back before the application comes
            await().alias("no application network yet").during(2, TimeUnit.SECONDS).atMost(3, TimeUnit.SECONDS)
                    .until(() -> app.count(CONNECTION_A) == 0);
            long listed = System.nanoTime();
            standIn.list("{\"eui\":\"" + APP_A.replace("-", "").toUpperCase() + "\",\"url\":\"" + cloudBroker.url()
                    + "\",\"options\":{\"client_id\":\"a\"}}");
            String aConnected = app.await((REFRESH_MS + SLACK_MS) / 1000.0, CONNECTION_A + ": connected to");
            long connectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - listed);
            Duration after = SteppedWallClock.behind(aConnected, Instant.now());

            for (int fcnt = 1; fcnt <= UPLINKS; fcnt++) {
                lns.publish("lora/" + APP_A + "/" + DEV_A + "/up", uplink(APP_A, DEV_A, fcnt));
            }
            UplinkTally tally = new UplinkTally();
            tally.collect(a, DEV_A, UPLINKS, 30);
            String summary = tally.summary("LENS application network listed after the clock was set back 2 h",
                    UPLINKS);
            System.out.printf("%s; connected %d ms after it was listed (appnet.refresh %d ms); the app's clock %d s"
                    + " behind before the step, %d s after%n", summary, connectedMs, REFRESH_MS, before.toSeconds(),
                    after.toSeconds());
            // the fake took effect: otherwise this test proves nothing
            assertTrue(before.abs().compareTo(Duration.ofMinutes(1)) < 0, "the app's clock was real before: "
                    + connected);
            assertTrue(after.minus(STEP).abs().compareTo(Duration.ofMinutes(1)) < 0,
                    "the app's clock 2 h behind after the step: " + aConnected);
            assertEquals(UPLINKS, tally.distinct(), summary);
            assertEquals(0, tally.outOfOrder(), summary);
            app.terminate();
        }
    }
}
