package io.camelappconnect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TcpProxy;
import io.camelappconnect.support.WebServer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * behaviour.md 9 with 7: in HTTP mode too the store survives a kill -9. The app, as its own process, keeps 1,000
 * uplinks while the web server is unreachable, is killed with kill -9, started again, and the server comes back: all
 * 1,000 arrive, in order per device. Real Mosquitto for the LNS; the way to the web server is a relay the test takes
 * down.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour9HttpAppKilledDuringOutageTest extends AppProcessTestSupport {

    private static final int DEVICES = 20;
    private static final int PER_DEVICE = 50;
    private static final int SENT = DEVICES * PER_DEVICE;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyUplinkKeptForTheServerArrivesAfterTheAppIsKilledAndStartedAgain() throws Exception {
        try (WebServer server = WebServer.start();
             TcpProxy toServer = new TcpProxy(server.port());
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            String firstOutput;
            Map<String, String> settings = new HashMap<>(Map.of("app.url", "http://127.0.0.1:" + toServer.port(),
                    "http.retry.initialDelay", "100", "http.retry.maxDelay", "500"));
            try (AppProcess first = startApp(settings)) {
                first.await(30, "answers");
                first.await(10, "lns: connected to");

                toServer.down();
                for (int fcnt = 1; fcnt <= PER_DEVICE; fcnt++) {
                    for (int d = 0; d < DEVICES; d++) {
                        String dev = String.format("00-80-00-00-00-00-00-%02x", d);
                        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt));
                    }
                }
                awaitStoreSettled();
                first.kill();
                firstOutput = first.output();
            }

            try (AppProcess second = startApp(settings)) {
                second.await(30, "lns: connected to");
                toServer.refuse(false);
                try {
                    await().alias("all " + SENT + " uplinks at the web server").atMost(60, TimeUnit.SECONDS)
                            .pollInterval(100, TimeUnit.MILLISECONDS).until(() -> distinct(server) >= SENT);
                } catch (ConditionTimeoutException e) { // what is missing, and what each app said, to find out why
                    Set<String> arrived = new HashSet<>(uplinks(server));
                    List<String> missing = new ArrayList<>();
                    for (int fcnt = 1; fcnt <= PER_DEVICE; fcnt++) {
                        for (int d = 0; d < DEVICES; d++) {
                            String u = String.format("00-80-00-00-00-00-00-%02x %d", d, fcnt);
                            if (!arrived.contains(u)) {
                                missing.add(u);
                            }
                        }
                    }
                    fail(arrived.size() + " of " + SENT + " arrived; missing " + missing.size() + ": "
                            + missing.subList(0, Math.min(20, missing.size())) + "; requests " + server.requests(r -> true)
                            .stream().map(r -> r.method() + " " + r.path() + " " + r.answered()).toList()
                            + "\nthe first app wrote:\n" + firstOutput + "\nthe second app wrote:\n" + second.output(), e);
                }
                int outOfOrder = outOfOrder(server);
                System.out.printf("HTTP app kill -9 during an outage: %d sent, %d arrived, %d distinct, %d out of order%n",
                        SENT, uplinks(server).size(), distinct(server), outOfOrder);
                assertEquals(SENT, distinct(server));
                assertEquals(0, outOfOrder, "out of order per device");
                second.terminate();
            }
        }
    }

    /** Each uplink the server took, as "device fcnt", in the order it took them. */
    private static List<String> uplinks(WebServer server) {
        return server.requestsTo("/up").stream().filter(r -> r.answered() == 200).flatMap(r -> {
            JsonNode body = read(r.body());
            return body.isArray() ? StreamSupport.stream(body.spliterator(), false) : Stream.of(body);
        }).map(u -> u.get("deveui").asText() + " " + u.get("fcnt").asInt()).toList();
    }

    private static int distinct(WebServer server) {
        return new HashSet<>(uplinks(server)).size();
    }

    /** Uplinks whose first arrival came after a later fcnt of their device's (a duplicate is not held against it). */
    private static int outOfOrder(WebServer server) {
        Map<String, Integer> highest = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int late = 0;
        for (String u : uplinks(server)) {
            if (!seen.add(u)) {
                continue;
            }
            String[] parts = u.split(" ");
            int fcnt = Integer.parseInt(parts[1]);
            if (fcnt < highest.getOrDefault(parts[0], 0)) {
                late++;
            }
            highest.merge(parts[0], fcnt, Math::max);
        }
        return late;
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
