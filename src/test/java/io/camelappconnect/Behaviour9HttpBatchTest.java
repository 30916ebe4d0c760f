package io.camelappconnect;

import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.support.HttpModeTestSupport;
import io.camelappconnect.support.WebServer.Answer;
import io.camelappconnect.support.WebServer.Request;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 9, several uplinks waiting: they go as batches of up to 10 to api/v1/lorawan/<APP>/up (here the app.eui
 * filter's AppEUI), a join and an uplink over 700 bytes on their own, everything in order. The server takes 200 ms an
 * uplink, so that the next ones wait meanwhile. The AppEUI filter and encodeHex (behaviour.md 4) work as in MQTT mode.
 */
class Behaviour9HttpBatchTest extends HttpModeTestSupport {

    private static final String DEV = "00-80-00-00-04-00-05-5a";

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.eui", APP.replace("-", "").toUpperCase());
        p.setProperty("app.encodeHex", "true");
    }

    @Override
    protected Answer answer(Request request) {
        return request.path().endsWith("/up") ? new Answer(200, "{}", 200) : super.answer(request);
    }

    @Test
    void uplinksThatWaitGoAsBatchesOfUpTo10AJoinAndABigUplinkOnTheirOwnAllInOrder() {
        assertEquals(API + APP + "/" + GW + "/init", awaitRequests("/init", 1, 10).get(0).path(),
                "<APP> is the filter's AppEUI");
        String big = uplink(APP, DEV, 13).replace("}", ",\"pad\":\"" + "x".repeat(700) + "\"}");

        for (int fcnt = 1; fcnt <= 30; fcnt++) {
            lns.publish("lora/" + APP + "/" + DEV + "/up", fcnt == 13 ? big : uplink(APP, DEV, fcnt));
            if (fcnt == 20) {
                lns.publish("lora/" + DEV + "/joined", "{\"appeui\":\"" + APP + "\"}");
            }
        }

        List<Integer> taken = awaitTaken(30, 30);
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 30).boxed().toList(), taken, "each once, in order");
        List<Request> batches = server.requestsTo("/up").stream().filter(r -> json(r.body()).isArray()).toList();
        assertFalse(batches.isEmpty(), "uplinks that waited together went as a batch");
        for (Request batch : batches) {
            assertEquals(API + APP + "/up", batch.path(), "<prefix>/api/v1/lorawan/<APP>/up");
            JsonNode array = json(batch.body());
            assertTrue(array.size() >= 2 && array.size() <= 10, "2 to 10 uplinks: " + array.size());
            array.forEach(u -> assertTrue(u.get("pad") == null, "the big uplink is not in a batch"));
        }
        Request alone = server.requestsTo("/up").stream().filter(r -> r.body().contains("\"pad\"")).findFirst()
                .orElseThrow();
        assertEquals(API + APP + "/" + DEV + "/up", alone.path(), "an uplink over 700 bytes on its own");
        Request joined = awaitRequests("/joined", 1, 5).get(0);
        assertTrue(json(joined.body()).isObject(), "a join on its own");
    }

    @Test
    void payloadsAreHexBothWaysAndAnotherAppsDevicesAreNotPosted() {
        server.answer(r -> r.path().endsWith("/up")
                ? Answer.ok("{\"deveui\":\"" + DEV + "\",\"data\":\"0102ff\",\"port\":5}") : answer(r));
        lns.subscribe("lora/+/down");
        awaitRequests("/init", 1, 10);

        lns.publish("lora/16-ea-76-f6-ab-66-3d-80/00-80-00-00-04-00-05-99/up",
                uplink("16-ea-76-f6-ab-66-3d-80", "00-80-00-00-04-00-05-99", 1));
        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 2));

        assertEquals(List.of(2), awaitTaken(1, 10), "only the filter's app");
        assertEquals("7465737464617461", json(server.requestsTo("/up").get(0).body()).get("data").asText(),
                "testdata in hex");
        JsonNode down = json(lns.next("lora/" + DEV + "/down", 10).text());
        assertEquals("AQL/", down.get("data").asText(), "the answer's hex downlink as base64 to the LNS");
        sleep(300); // the time is the point: the other app's uplink does not come later either
        assertEquals(List.of(2), taken());
    }
}
