package io.camelappconnect;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.MpowerApiStandIn.Recorded;
import io.camelappconnect.support.RequestTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 5: the protocol document's request examples, sent as written there, and their answers. */
class Behaviour5RequestsTest extends RequestTestSupport {

    @Test
    void loraQueryExamples() throws Exception {
        JsonNode count = ask("lora", "{\"command\":\"device count\",\"rid\":1}", 1);
        assertEquals(Json.MAPPER.readTree("{\"result\":{\"count\":9},\"rid\":1}"), count);

        // the document's packet queue add, with the quoting of its $'...' shell line undone
        JsonNode queued = ask("lora", "{\"command\": \"packet queue add '{\\\"deveui\\\":\\\"00-80-00-ff-00-00-00-03\\\","
                + "\\\"data\\\": \\\"QA==\\\"}'\", \"rid\": 4}", 4);
        assertEquals(Json.MAPPER.readTree("{\"result\":{\"id\":470,\"status\":\"success\"},\"rid\":4}"), queued);

        JsonNode page = ask("lora", "{\"command\":\"device list json page 0\", \"rid\":\"page-0\"}", "page-0");
        assertTrue(page.get("result").isArray());
        assertEquals("page-0", page.get("rid").asText(), "a string rid comes back as a string");

        JsonNode text = ask("lora", "{\"command\":\"version\"}", null);
        assertEquals("lora-query 2.3.1", text.get("result").asText(), "stdout that is not JSON is a string");
        assertFalse(text.has("rid"), "no rid asked, none given");

        assertEquals(List.of(
                List.of("-x", "device", "count"),
                List.of("-x", "packet", "queue", "add", "{\"deveui\":\"00-80-00-ff-00-00-00-03\",\"data\": \"QA==\"}"),
                List.of("-x", "device", "list", "json", "page", "0"),
                List.of("-x", "version")), loraQueryCalls());
    }

    @Test
    void apiExamples() throws Exception {
        JsonNode network = ask("api", "{\"method\":\"GET\",\"path\":\"/api/loraNetwork\",\"body\":\"\",\"rid\":5}", 5);
        assertEquals(200, network.get("code").asInt());
        assertEquals("success", network.get("status").asText());
        assertEquals("FF:FF:FF:FE", network.at("/result/addressRange/end").asText());
        assertEquals(5, network.get("rid").asInt());

        int rid = rid();
        JsonNode put = ask("api", "{\"method\":\"PUT\",\"path\":\"/api/loraNetwork/lora\",\"body\":\"{\\\"channelPlan\\\":"
                + "\\\"US915\\\"}\",\"rid\":" + rid + "}", rid);
        assertEquals(200, put.get("code").asInt());
        Recorded sent = last("PUT");
        assertEquals("{\"channelPlan\":\"US915\"}", sent.body(), "a string body is sent as it is");
        assertTrue(sent.headers().get("content-type").startsWith("application/json"));

        rid = rid();
        ask("api", "{\"method\":\"POST\",\"path\":\"/api/loraNetwork/whitelist/devices\",\"body\":{\"deveui\":\"00800000FFFF0001\","
                + "\"class\":\"A\"},\"rid\":" + rid + "}", rid);
        assertEquals(Json.MAPPER.readTree("{\"deveui\":\"00800000FFFF0001\",\"class\":\"A\"}"),
                Json.MAPPER.readTree(last("POST").body()), "an object body is sent JSON-encoded");

        rid = rid();
        JsonNode deleted = ask("api", "{\"method\":\"DELETE\",\"path\":\"/api/loraNetwork/whitelist/devices/0\",\"body\":\"\","
                + "\"rid\":" + rid + "}", rid);
        assertEquals(200, deleted.get("code").asInt());
        assertEquals("", last("DELETE").body(), "an empty body is not sent");

        rid = rid();
        JsonNode missing = ask("api", "{\"method\":\"DELETE\",\"path\":\"/api/loraNetwork/whitelist/devices/12\",\"body\":\"\","
                + "\"rid\":" + rid + "}", rid);
        assertEquals(Json.MAPPER.readTree("{\"code\":404,\"error\":\"device not found\",\"status\":\"fail\",\"rid\":" + rid + "}"),
                missing, "an HTTP error passes the API's own JSON through");

        rid = rid();
        ask("api", "{\"method\":\"POST\",\"path\":\"/api/command/save_apply?allowRestart=false\",\"body\":\"\",\"rid\":" + rid + "}", rid);
        assertEquals("/api/command/save_apply?allowRestart=false", last("POST").pathAndQuery());
    }

    @Test
    void logExamples() {
        // the document's example as written: /var/log/ is the protocol's name for logs.dir
        JsonNode all = ask("log", "{\"file\":\"/var/log/messages\",\"lines\":100,\"rid\":4}", 4);
        assertEquals(5, all.get("result").asText().split("\n").length);
        assertTrue(all.get("result").asText().startsWith("2023-03-05T19:55:56.913366+00:00 mtcdt lora-app-connect"));

        assertEquals(all.get("result"), ask("log", "{\"file\":\"" + logDir.resolve("messages") + "\",\"lines\":100,\"rid\":3}", 3)
                .get("result"), "the same file by its real path");
        int rid = rid();
        JsonNode filtered = ask("log", "{\"file\":\"messages\",\"lines\":2,\"filter\":\"lora\",\"rid\":" + rid + "}", rid);
        assertEquals("2023-03-05T19:55:57.014137+00:00 mtcdt lora-app-connect: MQTT connect mqtt://172.16.0.222:1883\n"
                + "2023-03-05T19:55:59.985408+00:00 mtcdt LORA-network-server: Start client",
                filtered.get("result").asText(), "the last 2 matching lines, case-insensitive");
    }

    @Test
    void aSlowRequestHoldsUpNeitherTheOtherRequestsNorDownlinks() {
        lns.subscribe("lora/+/down");
        cloud.publish("lorawan/" + GW + "/lora_req", "{\"command\":\"sleep 1\",\"rid\":\"slow\"}");
        cloud.publish("lorawan/" + GW + "/api_req", "{\"method\":\"GET\",\"path\":\"/api/test/slow?ms=1200\",\"rid\":\"slow\"}");
        long start = System.nanoTime();

        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-91\",\"data\":\"QA==\"}");
        JsonNode log = ask("log", "{\"file\":\"messages\",\"lines\":1,\"rid\":\"fast\"}", "fast");

        assertTrue(lns.next(2) != null, "the downlink went through");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 900, "log answered and downlink delivered in " + ms + " ms, not after the slow ones");
        assertEquals(1, log.get("result").asText().split("\n").length);
    }

    private Recorded last(String method) {
        List<Recorded> all = api.requests().stream().filter(r -> r.method().equals(method)).toList();
        return all.get(all.size() - 1);
    }
}
