package io.camelappconnect;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.RequestTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 5: requests written to break out (shell metacharacters, path escapes, backtracking filters, huge or
 * mistyped fields, a hung lora-query, a dropped HTTP connection). Each is answered; none runs a command of its own
 * (the marker file never appears) or reads outside the log directory.
 */
class Behaviour5HostileRequestsTest extends RequestTestSupport {

    /** Below the embedded broker's own limit (64 KiB), which drops the connection over a bigger message. */
    @Override
    protected void properties(Properties p) {
        super.properties(p);
        p.setProperty("mqtt.maxPayloadBytes", "16384");
    }

    @Test
    void loraCommandsNeverReachAShell() throws Exception {
        Path marker = logDir.resolveSibling("marker-lora");
        String touch = "touch " + marker;
        List<String> commands = List.of("device count; " + touch, "device count | " + touch, "device count && " + touch,
                "$(" + touch + ")", "`" + touch + "`", "device count\n" + touch, "device count & " + touch,
                "device count > " + marker, "'" + touch, "\"unterminated");
        for (String command : commands) {
            int rid = rid();
            JsonNode answer = ask("lora", "{\"command\":" + Json.MAPPER.writeValueAsString(command) + ",\"rid\":" + rid + "}", rid);
            assertEquals("fail", answer.get("status").asText(), command + " -> " + answer);
        }
        assertFalse(Files.exists(marker), "no command but lora-query ran");
        // every metacharacter reached lora-query as a plain character of an argument
        assertTrue(loraQueryCalls().contains(List.of("-x", "device", "count;", "touch", marker.toString())), loraQueryCalls().toString());
        assertTrue(loraQueryCalls().contains(List.of("-x", "$(touch", marker + ")")), loraQueryCalls().toString());
        assertTrue(loraQueryCalls().contains(List.of("-x", "device", "count\n" + "touch", marker.toString())));
    }

    @Test
    void loraRequestsWithMissingOrMistypedFieldsAndAHungLoraQueryAreAnswered() {
        assertError("lora", "{\"rid\":1}", 1, "'command' missing");
        assertError("lora", "{\"command\":42,\"rid\":2}", 2, "'command' must be a string");
        assertError("lora", "{\"command\":\"   \",\"rid\":3}", 3, "command is empty");
        assertError("lora", "{\"command\":\"no such thing\",\"rid\":4}", 4, "lora-query failed (exit 2)");
        long start = System.nanoTime();
        assertError("lora", "{\"command\":\"sleep 30\",\"rid\":5}", 5, "did not answer within 1.5 s");
        assertTrue((System.nanoTime() - start) / 1_000_000 < 5000, "the hung run was stopped");
        JsonNode notJson = ask("lora", "device count", null);
        assertTrue(notJson.get("error").asText().startsWith("request is not a JSON object"), notJson.toString());
    }

    @Test
    void apiRequestsStayOnTheApiAndFailuresAreAnswered() {
        int before = api.requests().size();
        assertError("api", "{\"method\":\"GET\",\"path\":\"http://evil.example/api/x\",\"rid\":1}", 1, "'path' must be");
        assertError("api", "{\"method\":\"GET\",\"path\":\"/api/../etc/passwd\",\"rid\":2}", 2, "'path' must be");
        assertError("api", "{\"method\":\"GET\",\"path\":\"//evil.example/api/\",\"rid\":3}", 3, "'path' must be");
        assertError("api", "{\"method\":\"GET\",\"path\":\"/apix/loraNetwork\",\"rid\":4}", 4, "'path' must be");
        assertError("api", "{\"method\":\"GET\",\"path\":\"/api/%2e%2e/etc\",\"rid\":5}", 5, "'path' must be");
        assertError("api", "{\"method\":\"GET\",\"path\":\"/api/loraNetwork x\",\"rid\":6}", 6, "'path' must be");
        assertError("api", "{\"method\":\"PATCH\",\"path\":\"/api/loraNetwork\",\"rid\":7}", 7, "'method' must be GET");
        assertError("api", "{\"method\":5,\"path\":\"/api/loraNetwork\",\"rid\":8}", 8, "'method' must be a string");
        assertError("api", "{\"method\":\"GET\",\"rid\":9}", 9, "'path' missing");
        assertEquals(before, api.requests().size(), "none of these reached the API");

        JsonNode dropped = ask("api", "{\"method\":\"GET\",\"path\":\"/api/test/drop\",\"rid\":10}", 10);
        assertEquals(500, dropped.get("code").asInt());
        assertEquals("request failed", dropped.get("error").asText());
        JsonNode text = ask("api", "{\"method\":\"GET\",\"path\":\"/api/test/text\",\"rid\":11}", 11);
        assertEquals("request failed", text.get("error").asText(), text.toString());
        long start = System.nanoTime();
        JsonNode slow = ask("api", "{\"method\":\"GET\",\"path\":\"/api/test/slow?ms=5000\",\"rid\":12}", 12);
        assertEquals(500, slow.get("code").asInt(), slow.toString());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 4000, "answered at mpower.timeout, not after the API");
    }

    @Test
    void logRequestsStayInTheLogDirectory() throws Exception {
        Path marker = logDir.resolveSibling("marker-log");
        Files.createSymbolicLink(logDir.resolve("escape"), outside.resolve("secret.txt"));
        for (String file : List.of("../outside/secret.txt", outside.resolve("secret.txt").toString(), "/etc/passwd",
                "escape", logDir + "/../outside/secret.txt", "messages; touch " + marker, "$(touch " + marker + ")",
                "/etc/no-such-file", "")) {
            int rid = rid();
            JsonNode answer = ask("log", "{\"file\":" + Json.MAPPER.writeValueAsString(file) + ",\"lines\":10,\"rid\":" + rid + "}", rid);
            assertEquals("fail", answer.get("status").asText(), file + " -> " + answer);
            assertFalse(answer.toString().contains("SECRET"), answer.toString());
        }
        assertError("log", "{\"file\":\"messages\",\"lines\":-1,\"rid\":1}", 1, "'lines' must be");
        assertError("log", "{\"file\":\"messages\",\"lines\":1000000000,\"rid\":2}", 2, "'lines' must be");
        assertError("log", "{\"file\":\"messages\",\"lines\":\"100\",\"rid\":3}", 3, "'lines' must be a whole number");
        assertError("log", "{\"file\":\"messages\",\"lines\":1e400,\"rid\":4}", 4, "'lines' must be a whole number");
        assertError("log", "{\"file\":\"messages\",\"lines\":10,\"filter\":[\"x\"],\"rid\":5}", 5, "'filter' must be a string");
        assertError("log", "{\"file\":\"messages\",\"lines\":10,\"filter\":\"(unclosed\",\"rid\":6}", 6, "filter");
        assertFalse(Files.exists(marker));
    }

    @Test
    void aBacktrackingFilterAndAOneGigabyteLogCostLittle() throws Exception {
        Files.writeString(logDir.resolve("long.log"), "a".repeat(100_000) + "!\n", StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        JsonNode catastrophic = ask("log", "{\"file\":\"long.log\",\"lines\":5,\"filter\":\"(a+)+$\",\"rid\":1}", 1);
        long regexMs = (System.nanoTime() - start) / 1_000_000;
        assertFalse(catastrophic.has("error"), catastrophic.toString());
        assertTrue(regexMs < 2000, "(a+)+$ against a 100,000-character line took " + regexMs + " ms");

        Path big = logDir.resolve("big.log");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            byte[] end = "\nlast line but one\nlast line of a big file\n".getBytes(StandardCharsets.US_ASCII);
            file.setLength(1L << 30); // sparse: 1 GiB without the disk
            file.seek((1L << 30) - end.length);
            file.write(end);
        }
        start = System.nanoTime();
        JsonNode tail = ask("log", "{\"file\":\"big.log\",\"lines\":2,\"rid\":2}", 2);
        long tailMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals("last line but one\nlast line of a big file", tail.get("result").asText());
        assertTrue(tailMs < 2000, "the last 2 lines of a 1 GiB file took " + tailMs + " ms");
        Files.delete(big);
    }

    private void assertError(String kind, String request, Object rid, String words) {
        JsonNode answer = ask(kind, request, rid);
        assertEquals("fail", answer.get("status").asText(), answer.toString());
        assertTrue(answer.get("error").asText().contains(words), "'" + words + "' in " + answer);
    }

    @Test
    void anAnswerTooBigForTheBrokerBecomesAnErrorAndTheLinkStaysUp() throws Exception {
        Files.writeString(logDir.resolve("chatty.log"), ("x".repeat(99) + "\n").repeat(1000)); // 100 KB
        // the bridge's own CONNECTs: the test's probe may be recorded by the broker a moment after it connected
        java.util.function.LongSupplier bridgeConnects = () -> embedded(cloudBroker).connects().stream()
                .filter(c -> c.getClientID().startsWith("lorawan/")).count();
        long connects = bridgeConnects.getAsLong();

        JsonNode answer = ask("log", "{\"file\":\"chatty.log\",\"lines\":1000,\"rid\":7}", 7);

        assertTrue(answer.get("error").asText().contains("over mqtt.maxPayloadBytes"), answer.toString());
        sleep(500); // a sleep: the time is the point, no reconnect comes within it
        assertEquals(connects, bridgeConnects.getAsLong(), "no reconnect");
    }

    @Test
    void anEmptyMessageOnARequestTopicIsNoRequest() {
        cloud.subscribe("lorawan/" + GW + "/lora_res");
        cloud.drain(0.3); // the retained answer of an earlier test
        cloud.publish("lorawan/" + GW + "/lora_req", new byte[0], false); // what clearing a retained request sends
        cloud.publish("lorawan/" + GW + "/lora_req", "{\"command\":\"device count\",\"rid\":8}");

        MqttProbe.Received first = cloud.next("lorawan/" + GW + "/lora_res", 5);

        assertEquals(8, read(first.payload()).get("rid").asInt(), "the first answer is the request's: the empty one got none");
        assertTrue(cloud.drain(0.5).isEmpty());
    }
}
