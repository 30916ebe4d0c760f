package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The bridge with its requests enabled against real stand-ins: the stand-in lora-query (a real process that records
 * its argv), the mPower API stand-in (a real HTTP server) and a temporary log directory.
 */
public abstract class RequestTestSupport extends BridgeTestSupport {

    protected static final Path LORA_QUERY = Path.of("src/test/resources/bin/lora-query").toAbsolutePath();
    protected static final Path ARGV_LOG = Path.of(System.getenv().getOrDefault("LORA_QUERY_ARGV_LOG",
            "target/lora-query-argv.log")).toAbsolutePath();

    protected static MpowerApiStandIn api;
    protected static Path logDir;
    protected static Path outside;
    private static int nextRid = 1000;

    @BeforeAll
    static void standIns() throws IOException {
        api = MpowerApiStandIn.start();
        Path root = Files.createTempDirectory("requests");
        logDir = Files.createDirectories(root.resolve("log"));
        outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "SECRET outside the log directory\n");
        Files.writeString(logDir.resolve("messages"), String.join("\n", List.of(
                "2023-03-05T19:55:56.913366+00:00 mtcdt lora-app-connect: Call setup MQTT App",
                "2023-03-05T19:55:56.934340+00:00 mtcdt kernel: eth0 link up",
                "2023-03-05T19:55:57.014137+00:00 mtcdt lora-app-connect: MQTT connect mqtt://172.16.0.222:1883",
                "2023-03-05T19:55:59.985408+00:00 mtcdt LORA-network-server: Start client",
                "2023-03-05T19:56:00.039355+00:00 mtcdt ntpd: clock synchronised")) + "\n");
    }

    @AfterAll
    static void stopStandIns() {
        api.close();
    }

    @BeforeEach
    void freshArgvLog() throws IOException {
        Files.deleteIfExists(ARGV_LOG);
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.requestOptions.lora", "true");
        p.setProperty("app.requestOptions.api", "true");
        p.setProperty("app.requestOptions.log", "true");
        p.setProperty("loraQuery.command", LORA_QUERY.toString());
        p.setProperty("loraQuery.timeout", "1500");
        p.setProperty("mpower.url", api.url());
        p.setProperty("mpower.timeout", "1500");
        p.setProperty("logs.dir", logDir.toString());
    }

    /** A fresh rid, as a JSON number. */
    protected static int rid() {
        return nextRid++;
    }

    /** Publishes a request on lorawan/GW/{kind}_req and returns its answer on {kind}_res, found by its rid. */
    protected JsonNode ask(String kind, String request, Object rid) {
        String answers = "lorawan/" + GW + "/" + kind + "_res";
        cloud.subscribe(answers);
        cloud.publish("lorawan/" + GW + "/" + kind + "_req", request);
        JsonNode wanted = rid == null ? null : Json.MAPPER.valueToTree(rid);
        JsonNode answer = await().alias("an answer on " + kind + "_res to " + request).atMost(10, TimeUnit.SECONDS)
                .pollInterval(10, TimeUnit.MILLISECONDS)
                .until(() -> answerIn(answers, wanted), Objects::nonNull);
        if (kind.equals("log")) {
            NoSecretInLogs.answer("a log_req answer", answer.toString());
        }
        return answer;
    }

    /**
     * Takes what has arrived, one at a time, up to the answer on {@code topic} with {@code rid} (a JSON value, or null
     * for none), without waiting; what comes after it stays for the test. Null when it is not there yet.
     */
    private JsonNode answerIn(String topic, JsonNode rid) {
        for (MqttProbe.Received r; (r = cloud.next(0)) != null; ) {
            if (r.topic().equals(topic)) {
                JsonNode answer = read(r.payload());
                if (Objects.equals(answer.get("rid"), rid)) {
                    return answer;
                }
            }
        }
        return null;
    }

    /** The argv of each lora-query run since the test began, -x first. */
    protected static List<List<String>> loraQueryCalls() {
        try {
            if (!Files.exists(ARGV_LOG)) {
                return List.of();
            }
            String content = Files.readString(ARGV_LOG, StandardCharsets.UTF_8);
            return Arrays.stream(content.split("\0\n(?=-x\0|$)")).filter(c -> !c.isEmpty())
                    .map(c -> List.of(c.split("\0", -1))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static JsonNode read(byte[] json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            assertNotNull(node);
            return node;
        } catch (IOException e) {
            throw new AssertionError("answer is not JSON: " + new String(json, StandardCharsets.UTF_8));
        }
    }
}
