package io.camelappconnect;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.support.HttpModeTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.WebServer.Answer;
import io.camelappconnect.support.WebServer.Request;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 9, row by row: app.url http://... makes the bridge post to a web server: init at start, each uplink and
 * join, downlinks from the answers and from the poll, close at a clean stop; and the MQTT routes don't run.
 */
class Behaviour9HttpModeTest extends HttpModeTestSupport {

    private static final String ANY = "ff-ff-ff-ff-ff-ff-ff-ff";
    private static final String DEV = "00-80-00-00-04-00-05-5a";

    @Test
    void initThenUplinksAndJoinsArePostedToTheProtocolsPathsBelowTheUrlsPrefix() throws Exception {
        Request init = awaitRequests("/init", 1, 10).get(0);
        assertEquals("POST", init.method());
        assertEquals(API + ANY + "/" + GW + "/init", init.path(), "<prefix>/api/v1/lorawan/<APP>/<GW-UUID>/init");
        assertEquals("application/json", init.contentType());
        assertEquals(2, json(init.body()).get("gateways_euis").size());

        String up = uplink(APP, DEV, 7);
        lns.publish("lora/" + APP + "/" + DEV + "/up", up);
        Request posted = awaitRequests("/up", 1, 10).get(0);
        assertEquals(API + APP + "/" + DEV + "/up", posted.path());
        assertEquals(json(up), json(posted.body()), "the LNS JSON as it came");

        lns.publish("lora/" + DEV + "/joined", "{\"appeui\":\"" + APP + "\",\"joineui\":\"" + APP + "\"}");
        Request joined = awaitRequests("/joined", 1, 10).get(0);
        assertEquals(API + APP + "/" + DEV + "/joined", joined.path());
        JsonNode body = json(joined.body());
        assertEquals(DEV, body.get("deveui").asText());
        assertTrue(body.get("time").asText().endsWith("Z"), "time in UTC");

        Counters counters = context.getRegistry().lookupByNameAndType("counters", Counters.class);
        // counted once the server took it, a moment after it arrived there
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> counters.forwardedCount("up") == 1 && counters.forwardedCount("joined") == 1);
        assertTrue(queue().isConnected(), "the server answered");

        assertNotNull(context.getRoute("server-posts-server"));
        for (String mqttRoute : new String[] {"uplink", "down-to-lns", "init", "lora-request"}) {
            assertNull(context.getRoute(mqttRoute), mqttRoute + ": an MQTT route, not in HTTP mode");
        }
        assertEquals(List.of(), log.warnings());
    }

    @Test
    void aDownlinkInTheAnswerToAnUplinkGoesToTheLns() {
        server.answer(r -> r.path().endsWith("/up")
                ? Answer.ok("{\"deveui\":\"008000000400055A\",\"data\":\"AQID\",\"port\":2}") : Answer.ok("{}"));
        lns.subscribe("lora/+/down");
        awaitRequests("/init", 1, 10);

        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 1));

        Received down = lns.next("lora/" + DEV + "/down", 10);
        assertNotNull(down, "the answer's downlink on lora/<DEV>/down");
        JsonNode json = json(down.text());
        assertEquals("AQID", json.get("data").asText());
        assertEquals(2, json.get("port").asInt());
        assertEquals(DEV, json.get("deveui").asText(), "deveui normalised");
    }

    @Test
    void aBadDownlinkInAnAnswerIsAWarnNamingThePathAndTheNextOneGoes() {
        server.answer(r -> r.path().endsWith("/up") ? Answer.ok(r.body().contains("\"fcnt\":1,")
                ? "[{\"deveui\":\"not-a-eui\",\"data\":\"AQ==\"},{\"deveui\":\"" + DEV + "\",\"data\":\"Ag==\"}]"
                : "{}") : answer(r));
        lns.subscribe("lora/+/down");
        awaitRequests("/init", 1, 10);

        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 1));
        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 2));

        Received down = lns.next("lora/" + DEV + "/down", 10);
        assertNotNull(down, "the answer's good downlink still went");
        assertEquals("Ag==", json(down.text()).get("data").asText());
        assertEquals(2, awaitTaken(2, 10).size(), "the uplink was not posted again over its answer");
        // the path of the post the answer came to: the uplink's own, or the batch's when both waited together
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> log.warnings().stream()
                .anyMatch(w -> (w.contains("api/v1/lorawan/" + APP + "/" + DEV + "/up")
                        || w.contains("api/v1/lorawan/ff-ff-ff-ff-ff-ff-ff-ff/up")) && w.contains("not-a-eui")));
        assertEquals(1, context.getRegistry().lookupByNameAndType("counters", Counters.class).badInputCount());
    }

    @Test
    void thePollAsksForTheDevicesHeardAndTheDownlinksItGetsGoToTheLns() {
        String other = "00-80-00-00-04-00-05-5b";
        server.answer(r -> {
            if (r.path().endsWith("/down") && r.body().contains(other)) {
                return Answer.ok("[{\"deveui\":\"" + DEV + "\",\"data\":\"BAU=\",\"port\":3},"
                        + "{\"deveui\":\"" + other + "\",\"data\":\"Bgc=\",\"port\":4}]");
            }
            return answer(r);
        });
        lns.subscribe("lora/+/down");
        awaitRequests("/init", 1, 10);

        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 1));
        lns.publish("lora/" + other + "/joined", "{\"appeui\":\"" + APP + "\"}");

        Received first = lns.next("lora/" + DEV + "/down", 10);
        Received second = lns.next("lora/" + other + "/down", 5);
        assertNotNull(first, "a polled downlink for the first device: " + server.requestsTo("/down") + log.warnings());
        assertNotNull(second, "and for the second");
        assertEquals("BAU=", json(first.text()).get("data").asText());
        assertEquals(4, json(second.text()).get("port").asInt());
        Request poll = server.requestsTo("/down").stream().filter(r -> r.body().contains(other)).findFirst().orElseThrow();
        assertEquals("GET", poll.method());
        assertEquals(API + ANY + "/down", poll.path(), "<prefix>/api/v1/lorawan/<APP>/down");
        assertEquals(List.of(DEV, other), JSON.convertValue(json(poll.body()), List.class), "the devices heard");
    }

    @Test
    void closeIsPostedAtACleanStop() {
        awaitRequests("/init", 1, 10);

        context.stop();

        Request close = awaitRequests("/close", 1, 10).get(0);
        assertEquals(API + ANY + "/" + GW + "/close", close.path());
        assertEquals("", close.body());
    }
}
