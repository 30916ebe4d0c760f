package io.camelappconnect;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.HttpModeTestSupport;
import io.camelappconnect.support.WebServer.Answer;
import io.camelappconnect.support.WebServer.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 #8, behaviour.md 9: an init answer with a huge timeout and poll interval is clamped (60 s, 1 h) with a
 * WARN naming the field, the value and the bound; a server that then hangs holds the posting thread 60 s at the most,
 * health says it can't deliver meanwhile, and what waited goes once it answers, in order, nothing lost.
 */
class Behaviour9HttpServerBoundsTest extends HttpModeTestSupport {

    private static final String DEV = "00-80-00-00-04-00-05-5b";

    @Override
    protected Answer answer(Request request) {
        return request.path().endsWith("/init") ? Answer.ok("{\"timeout\":100000000,\"downlink_query_interval\":99999999}")
                : super.answer(request);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aHugeTimeoutIsClampedAndAHangingServerHoldsThePostsAMinuteAtTheMost() {
        awaitRequests("/init", 1, 10);
        assertNotNull(log.await(5, "timeout", "100000000", "bound of 60"), "the clamped timeout is a WARN");
        assertNotNull(log.await(5, "downlink_query_interval", "99999999", "bound of 3600"), "the interval too");
        server.answer(r -> r.path().endsWith("/up") ? new Answer(200, "{}", 600_000) : Answer.ok("{}"));

        for (int fcnt = 1; fcnt <= 3; fcnt++) {
            lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, fcnt));
        }
        awaitRequests("/up", 1, 10);
        long first = server.requestsTo("/up").get(0).nanos();
        awaitRequests("/up", 2, 80); // the hung one given up, and tried again
        double heldSeconds = (server.requestsTo("/up").get(1).nanos() - first) / 1e9;
        System.out.printf("a hung post held the thread %.1f s%n", heldSeconds);
        assertTrue(heldSeconds >= 55 && heldSeconds < 70, "given up at the 60 s bound: " + heldSeconds);
        assertFalse(queue().isConnected(), "health: the server can't be delivered to meanwhile");

        server.answer(this::answer);
        List<Integer> taken = awaitTaken(3, 80);
        assertEquals(List.of(1, 2, 3), taken.stream().distinct().toList(), "all, in order, nothing lost");
        System.out.printf("taken %s (duplicates %d)%n", taken, taken.size() - 3);
        await().atMost(10, TimeUnit.SECONDS).until(() -> queue().isConnected());
    }
}
