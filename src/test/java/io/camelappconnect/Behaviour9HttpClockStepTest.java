package io.camelappconnect;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.SteppedWallClock;
import io.camelappconnect.support.TcpProxy;
import io.camelappconnect.support.UplinkTally;
import io.camelappconnect.support.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 #9, behaviour.md 9 with 7: the wall clock set back 2 hours while the web server is away (NTP stepping the
 * clock of a gateway without RTC), the app as its own JVM under libfaketime ({@link SteppedWallClock}). When the
 * server is back the app posts again within its retry backoff, and polls for downlinks within the poll interval,
 * not 2 hours later (a wait on the wall clock, java.util.Timer behind a {@code timer:} route or a backoff computed from
 * currentTimeMillis, would sleep through the 2 hours). Every uplink arrives, those kept on disk during the outage
 * too: none lost, none out of order per device, duplicates counted. Health DOWN during the outage, UP after. The
 * app's own log says its clock did step: real time before, 2 hours behind after.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour9HttpClockStepTest extends AppProcessTestSupport {

    private static final Duration STEP = Duration.ofHours(2);
    private static final int DEVICES = 10;
    /** Per device: live before the outage, during it (half before the step, half after), live after it. */
    private static final int BEFORE = 10;
    private static final int DURING = 50;
    private static final int AFTER = 10;
    private static final int SENT = DEVICES * (BEFORE + DURING + AFTER);
    private static final long RETRY_MAX_MS = 1000;
    private static final int POLL_S = 1;
    /** What coming back may take beyond the backoff or the poll interval here (2 shared cores): not 2 hours. */
    private static final long SLACK_MS = 4000;
    private static final int PORT = EmbeddedBroker.freePort();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path clockDir;

    @Test
    void theClockSetBack2HoursDuringAnOutageStretchesNoRetryAndNoPollAndLosesNoUplink() throws Exception {
        SteppedWallClock clock = new SteppedWallClock(clockDir);
        try (WebServer server = WebServer.start();
             TcpProxy toServer = new TcpProxy(server.port());
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess app = startApp(Map.of("app.url", "http://127.0.0.1:" + toServer.port(),
                     "http.retry.initialDelay", "100", "http.retry.maxDelay", String.valueOf(RETRY_MAX_MS),
                     "management.enabled", "true", "management.port", String.valueOf(PORT)), clock.environment())) {
            server.answer(r -> WebServer.Answer.ok(r.path().endsWith("/init")
                    ? "{\"downlink_query_interval\":" + POLL_S + "}" : "{}"));
            app.await(30, "answers");
            app.await(10, "lns: connected to");
            assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode());
            publishUplinks(lns, DEVICES, 1, BEFORE);
            await().alias("the uplinks before the outage").atMost(20, TimeUnit.SECONDS)
                    .until(() -> tally(server).distinct() >= DEVICES * BEFORE);
            await().alias("a downlink poll").atMost(10, TimeUnit.SECONDS).until(() -> !polls(server, 0).isEmpty());

            toServer.down();
            publishUplinks(lns, DEVICES, BEFORE + 1, BEFORE + DURING / 2);
            String failed = app.await(10, "tried again with backoff");
            Duration before = SteppedWallClock.behind(failed, Instant.now());
            assertEquals(503, Http.awaitStatus(PORT, "/observe/health", 503, 10).statusCode(), "DOWN in the outage");

            clock.stepBack(STEP);
            publishUplinks(lns, DEVICES, BEFORE + DURING / 2 + 1, BEFORE + DURING);
            // some backoff periods and polls pass on the clock set back, the server still away, health DOWN throughout
            await().alias("health DOWN while the server is away").during(3, TimeUnit.SECONDS)
                    .atMost(5, TimeUnit.SECONDS).until(() -> Http.get(PORT, "/observe/health").statusCode() == 503);
            HttpResponse<String> down = Http.get(PORT, "/observe/health?data=true");
            assertTrue(down.body().contains("\"server.connected\":false"), down.body());

            long back = System.nanoTime();
            toServer.refuse(false);
            WebServer.Request post = await().alias("a post taken after the server came back")
                    .atMost(RETRY_MAX_MS + SLACK_MS, TimeUnit.MILLISECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                    .until(() -> server.requestsTo("/up").stream().filter(r -> r.nanos() > back && r.answered() == 200)
                            .findFirst().orElse(null), r -> r != null);
            WebServer.Request poll = await().alias("a downlink poll after the server came back")
                    .atMost(RETRY_MAX_MS + 2000L * POLL_S + SLACK_MS, TimeUnit.MILLISECONDS)
                    .pollInterval(20, TimeUnit.MILLISECONDS)
                    .until(() -> polls(server, back).stream().findFirst().orElse(null), r -> r != null);
            assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode(), "UP after");
            await().alias("the app saying the server answers again").atMost(5, TimeUnit.SECONDS)
                    .until(() -> app.count("answers") >= 2);
            String answers = app.lastLine("answers");
            Duration after = SteppedWallClock.behind(answers, Instant.now());

            publishUplinks(lns, DEVICES, BEFORE + DURING + 1, BEFORE + DURING + AFTER);
            await().alias("all " + SENT + " uplinks at the web server").atMost(60, TimeUnit.SECONDS)
                    .pollInterval(100, TimeUnit.MILLISECONDS).until(() -> tally(server).distinct() >= SENT);
            UplinkTally tally = tally(server);
            String summary = tally.summary("HTTP mode, the clock set back 2 h during the outage", SENT);
            System.out.printf("%s; posting again %d ms and polling %d ms after the server came back; the app's clock"
                            + " %d s behind before the step, %d s after; health then: %s%n", summary,
                    ms(post.nanos() - back), ms(poll.nanos() - back), before.toSeconds(), after.toSeconds(),
                    down.body().replaceAll("\\s+", ""));
            // the fake took effect: otherwise this test proves nothing
            assertTrue(before.abs().compareTo(Duration.ofMinutes(1)) < 0, "the app's clock was real before: " + failed);
            assertTrue(after.minus(STEP).abs().compareTo(Duration.ofMinutes(1)) < 0,
                    "the app's clock 2 h behind after the step: " + answers);
            assertEquals(SENT, tally.distinct(), summary);
            assertEquals(0, tally.outOfOrder(), summary);
            app.terminate();
        }
    }

    /** The uplinks the server took, counted per device in the order it took them (a batch is an array of them). */
    private static UplinkTally tally(WebServer server) throws IOException {
        UplinkTally tally = new UplinkTally();
        for (WebServer.Request r : server.requestsTo("/up")) {
            if (r.answered() == 200) {
                JsonNode body = JSON.readTree(r.body());
                for (JsonNode u : body.isArray() ? body : List.of(body)) {
                    tally.add(u.get("deveui").asText(), u.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return tally;
    }

    /** The downlink polls (GET .../down) that came after {@code nanos}. */
    private static List<WebServer.Request> polls(WebServer server, long nanos) {
        return server.requests(r -> r.method().equals("GET") && r.path().endsWith("/down") && r.nanos() > nanos);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
