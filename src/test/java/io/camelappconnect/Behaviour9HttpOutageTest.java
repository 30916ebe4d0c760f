package io.camelappconnect;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.HttpModeTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 9 with 7 and 6: the web server unreachable for 10 s in the middle of 2,000 uplinks. Nothing is lost,
 * nothing comes out of order (a post the server took while its answer was lost comes again: a duplicate, counted);
 * meanwhile health is DOWN and each device heard gets its backhaul-detect downlink.
 */
class Behaviour9HttpOutageTest extends HttpModeTestSupport {

    private static final int UPLINKS = 2000;
    private static final int PORT = EmbeddedBroker.freePort();
    private static final String[] DEVICES = {"00-80-00-00-04-00-05-5a", "00-80-00-00-04-00-05-5b"};

    @Override
    protected void properties(Properties p) {
        p.setProperty("management.enabled", "true");
        p.setProperty("management.port", String.valueOf(PORT));
        p.setProperty("app.backhaulDetect.enabled", "true");
    }

    @Test
    void theServerDownFor10sDuring2000UplinksLosesNoneAndKeepsTheirOrder() throws Exception {
        awaitRequests("/init", 1, 10);
        assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode());
        lns.subscribe("lora/+/down");

        long start = System.nanoTime();
        long downAt = start + 5_000_000_000L;
        long upAt = downAt + 10_000_000_000L;
        boolean down = false;
        boolean back = false;
        HttpResponse<String> health = null;
        for (int fcnt = 1; fcnt <= UPLINKS; fcnt++) { // 100 a second for 20 s
            long due = start + fcnt * 10_000_000L;
            while (System.nanoTime() < due) {
                Thread.sleep(1);
            }
            if (!down && System.nanoTime() >= downAt) {
                toServer.down();
                down = true;
            }
            if (!back && System.nanoTime() >= upAt) {
                health = Http.get(PORT, "/observe/health?data=true");
                toServer.refuse(false);
                back = true;
            }
            String dev = DEVICES[fcnt % 2];
            lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt));
        }

        List<Integer> taken = awaitTaken(UPLINKS, 60);
        Set<Integer> distinct = new HashSet<>(taken);
        List<Integer> firsts = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (int f : taken) {
            if (seen.add(f)) {
                firsts.add(f);
            }
        }
        int outOfOrder = 0;
        for (int i = 1; i < firsts.size(); i++) {
            if (firsts.get(i) < firsts.get(i - 1)) {
                outOfOrder++;
            }
        }
        System.out.printf("HTTP OUTAGE: %d uplinks, %d taken, %d lost, %d out of order, %d duplicates, %d posts, %d kept"
                        + " on disk%n", UPLINKS, taken.size(), UPLINKS - distinct.size(), outOfOrder,
                taken.size() - distinct.size(), server.requestsTo("/up").size(), queue().state().kept());
        assertEquals(UPLINKS, distinct.size(), "lost: " + (UPLINKS - distinct.size()));
        assertEquals(0, outOfOrder, "out of order");
        assertTrue(queue().state().kept() > 0, "what waited was kept on disk");

        assertNotNull(health);
        assertEquals(503, health.statusCode(), "health DOWN while the server was unreachable: " + health.body());
        assertTrue(health.body().contains("\"server.connected\":false"), health.body());
        Set<String> told = new HashSet<>();
        lns.drain(1).forEach(r -> told.add(r.topic()));
        for (String dev : DEVICES) {
            assertTrue(told.contains("lora/" + dev + "/down"), dev + ": a backhaul-detect downlink during the outage");
        }
        assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode(), "UP again");
    }
}
