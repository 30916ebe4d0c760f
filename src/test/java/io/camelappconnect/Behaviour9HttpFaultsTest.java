package io.camelappconnect;

import java.util.List;

import io.camelappconnect.operations.Counters;
import io.camelappconnect.support.HttpModeTestSupport;
import io.camelappconnect.support.WebServer.Answer;
import io.camelappconnect.support.WebServer.Request;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 9 and 7 in HTTP mode: what the server does not take waits and goes again, in order, with nothing lost;
 * what it refuses for good (a 4xx) is dropped with a WARN and counted. Its init answer asks for 1 s per request.
 */
class Behaviour9HttpFaultsTest extends HttpModeTestSupport {

    private static final String DEV = "00-80-00-00-04-00-05-5a";

    @Override
    protected Answer answer(Request request) {
        return request.path().endsWith("/init") ? Answer.ok("{\"timeout\":1,\"downlink_query_interval\":30}")
                : super.answer(request);
    }

    @Test
    void a4xxIsDroppedWithAWarnNamingTheStatusAndCountedAndTheOthersGoOn() {
        awaitRequests("/init", 1, 10);
        // the server refuses fcnt 2, and so any batch that holds it
        server.answer(r -> r.body().contains("\"fcnt\":2,") ? new Answer(400, "{\"error\":\"no such device\"}", 0)
                : new Answer(200, "{}", 50));

        for (int fcnt = 1; fcnt <= 4; fcnt++) {
            lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, fcnt));
        }

        assertEquals(List.of(1, 3, 4), awaitTaken(3, 10), "the others taken, in order");
        sleep(500); // the time is the point: the refused one is not tried again
        assertEquals(List.of(1, 3, 4), taken());
        List<Request> refused = server.requests(r -> r.body().contains("\"fcnt\":2,"));
        assertTrue(refused.size() <= 2, "posted once, or in a batch and then alone: " + refused.size());
        assertEquals(400, refused.get(refused.size() - 1).answered());
        Counters counters = context.getRegistry().lookupByNameAndType("counters", Counters.class);
        assertEquals(1, counters.serverRefusedCount(), "one uplink refused, not the batch it came in");
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("400") && w.contains("no such device")),
                log.warnings().toString());
    }

    @Test
    void a5xxIsTriedAgainUntilTheServerTakesItInOrder() {
        awaitRequests("/init", 1, 10);
        int[] failures = {3};
        server.answer(r -> {
            if (r.path().endsWith("/up") && failures[0] > 0) {
                failures[0]--;
                return new Answer(500, "busy", 0);
            }
            return Answer.ok("{}");
        });

        for (int fcnt = 1; fcnt <= 5; fcnt++) {
            lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, fcnt));
        }

        List<Integer> taken = awaitTaken(5, 15);
        assertEquals(List.of(1, 2, 3, 4, 5), taken, "all, once each, in order");
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("500")), log.warnings().toString());
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndWhatWaitsGoesWhenItAnswersAgain() {
        awaitRequests("/init", 1, 10);
        server.answer(r -> r.path().endsWith("/up") ? new Answer(200, "{}", 30_000) : Answer.ok("{}"));

        for (int fcnt = 1; fcnt <= 3; fcnt++) {
            lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, fcnt));
        }
        awaitRequests("/up", 2, 10); // the first timed out after 1 s, and was tried again
        assertFalse(queue().isConnected(), "the server is not reachable meanwhile");
        server.answer(this::answer);

        List<Integer> taken = awaitTaken(3, 20);
        assertEquals(List.of(1, 2, 3), taken.subList(taken.size() - 3, taken.size()), "all of them, in order, at the end");
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("timed out") || w.contains("Read timed out")
                || w.contains("timeout")), log.warnings().toString());
    }

}
