package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.protocol.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

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
        cloud.subscribe("lorawan/" + GW + "/" + kind + "_res");
        cloud.publish("lorawan/" + GW + "/" + kind + "_req", request);
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            MqttProbe.Received r = cloud.next("lorawan/" + GW + "/" + kind + "_res", 1);
            if (r != null) {
                JsonNode answer = read(r.payload());
                JsonNode got = answer.get("rid");
                if (rid == null ? got == null : got != null && got.equals(Json.MAPPER.valueToTree(rid))) {
                    return answer;
                }
            }
        }
        throw new AssertionError("no answer on " + kind + "_res to " + request);
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
