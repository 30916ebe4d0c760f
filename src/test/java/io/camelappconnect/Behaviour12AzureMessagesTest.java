package io.camelappconnect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.AzureHubStandIn;
import io.camelappconnect.support.AzureTestSupport;
import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 12, what goes to and comes from the hub: the bridge in AZURE mode against the hub stand-in (the hub's
 * rules enforced: TLS, SAS token, the device's topics only, no retain or QoS 2, 256 KB), the LNS on Moquette, and
 * requests served by the stand-in lora-query (a real process), a log directory and the mPower stand-in. Each test
 * ends with the hub having closed no connection and refused no subscription.
 */
@Timeout(90)
class Behaviour12AzureMessagesTest extends AzureTestSupport {

    static final String EVENTS = "devices/" + DEVICE + "/messages/events/";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Path LORA_QUERY = Path.of("src/test/resources/bin/lora-query").toAbsolutePath();

    static Path logDir;

    final LogCapture log = LogCapture.capture();
    MqttProbe lns;

    @BeforeAll
    static void aLogDirectory() throws Exception {
        logDir = Files.createTempDirectory("azure-logs");
        Files.writeString(logDir.resolve("messages"), "line 1\nline 2 lora\nline 3\n");
    }


    @BeforeEach
    void lnsProbeAndTheDeviceOnline() {
        lns = new MqttProbe(lnsBroker.url()).subscribe("lora/+/down", "lora/+/clear");
        org.awaitility.Awaitility.await().atMost(WAIT).until(hub::takesMethods);
    }

    @AfterEach
    void theHubClosedNothing() {
        lns.close();
        assertEquals(List.of(), hub.closures(), "connections the hub's rules closed");
        assertEquals(List.of(), hub.refusedSubscriptions());
        assertEquals(List.of(), hub.refusals());
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.retain", "true"); // the hub stores nothing: never retained all the same
        p.setProperty("app.options.cloudService", "AZURE");
        p.setProperty("app.options.client_id", DEVICE);
        p.setProperty("app.options.sharedAccessKey", TestSecrets.AZURE_DEVICE_KEY);
        p.setProperty("app.options.server_cert", hub.caPem());
        p.setProperty("app.requestOptions.lora", "true");
        p.setProperty("app.requestOptions.api", "false");
        p.setProperty("app.requestOptions.log", "true");
        p.setProperty("loraQuery.command", LORA_QUERY.toString());
        p.setProperty("loraQuery.timeout", "1500");
        p.setProperty("logs.dir", logDir.toString());
        p.setProperty("mqtt.maxPayloadBytes", "1048576");
        p.setProperty("mqtt.maxIncomingBytes", "1048576");
    }

    @Test
    void uplinksJoinsMovesAndInitGoAsDeviceToCloudMessagesNamingTheEventAndTheDevice() {
        AzureHubStandIn.D2c init = await(d -> "init".equals(d.properties().get("event")));
        assertEquals("00-80-00-00-d0-00-01-1a", Json.object(init.payload()).at("/gateways_euis/0").asText(), init.text());

        try (MqttProbe gateway = new MqttProbe(lnsBroker.url())) {
            String dev = "00-80-00-00-00-00-aa-01";
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 7));
            gateway.publish("lora/" + dev + "/joined", "{\"appeui\":\"" + APP + "\",\"gweui\":\"00-80-00-00-d0-00-01-1a\"}");
            gateway.publish("lora/" + APP + "/" + dev + "/moved", "[\"00-80-00-00-d0-00-01-1b\"]");

            AzureHubStandIn.D2c up = await(d -> "up".equals(d.properties().get("event")));
            assertEquals(Map.of("event", "up", "deveui", dev, "appeui", APP), withoutHubProperties(up));
            assertEquals(7, Json.object(up.payload()).get("fcnt").asInt(), "the LNS JSON as it came: " + up.text());
            assertTrue(up.topic().startsWith(EVENTS), up.topic());

            AzureHubStandIn.D2c joined = await(d -> "joined".equals(d.properties().get("event")));
            assertEquals(dev, joined.properties().get("deveui"));
            assertEquals(dev, Json.object(joined.payload()).get("deveui").asText(), joined.text());
            assertNotNull(Json.object(joined.payload()).get("time"));

            AzureHubStandIn.D2c moved = await(d -> "moved".equals(d.properties().get("event")));
            assertEquals(APP, moved.properties().get("appeui"));
            assertEquals("[\"00-80-00-00-d0-00-01-1b\"]", moved.text());
        }
        assertTrue(hub.d2c().stream().noneMatch(d -> d.properties().containsKey("mqtt-retain")), "nothing retained");
    }

    @Test
    void anUplinkOverTheHubsLimitIsRefusedWithAWarnAndTheNextGoesOn() {
        try (MqttProbe gateway = new MqttProbe(lnsBroker.url())) {
            String dev = "00-80-00-00-00-00-aa-02";
            String big = "{\"deveui\":\"" + dev + "\",\"data\":\"" + "A".repeat(300 * 1024) + "\"}";
            gateway.publish("lora/" + APP + "/" + dev + "/up", big);
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 2));
            AzureHubStandIn.D2c next = await(d -> dev.equals(d.properties().get("deveui")));
            assertEquals(2, Json.object(next.payload()).get("fcnt").asInt());
        }
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("over mqtt.maxPayloadBytes (262144)")),
                log.warnings().toString());
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("an Azure IoT Hub takes 262144 bytes at most; cloud uses that")),
                "the bound the user set (1 MiB) is cut to the hub's: " + log.warnings());
    }

    @Test
    void cloudToDeviceMessagesReachTheLnsAsDownlinksAndClears() {
        String dev = "00-80-00-00-00-00-bb-01";
        hub.sendC2d(Map.of(), ("{\"deveui\":\"" + dev.toUpperCase() + "\",\"data\":\"QA==\",\"port\":3}").getBytes());
        MqttProbe.Received down = lns.next("lora/" + dev + "/down", 10);
        assertNotNull(down, "the downlink at the LNS");
        assertEquals(3, Json.object(down.payload()).get("port").asInt());
        assertEquals(dev, Json.object(down.payload()).get("deveui").asText(), "deveui normalised");

        hub.sendC2d(Map.of("clear", "true"), ("{\"deveui\":\"" + dev + "\"}").getBytes());
        assertNotNull(lns.next("lora/" + dev + "/clear", 10), "a clear by its property");
        hub.sendC2d(Map.of(), ("{\"deveui\":\"" + dev + "\",\"clear\":true}").getBytes());
        MqttProbe.Received clear = lns.next("lora/" + dev + "/clear", 10);
        assertNotNull(clear, "a clear by its JSON");
        assertEquals(0, clear.payload().length);

        hub.sendC2d(Map.of(), "{\"data\":\"QA==\"}".getBytes());
        hub.sendC2d(Map.of(), ("{\"deveui\":\"" + dev + "\",\"data\":\"QQ==\"}").getBytes());
        assertEquals("QQ==", Json.object(lns.next("lora/" + dev + "/down", 10).payload()).get("data").asText(),
                "the next one goes on");
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("messages/devicebound/") && w.contains("'deveui' missing")),
                log.warnings().toString());
    }

    @Test
    void everyMethodIsAnsweredWithAStatusThatSaysWhatHappened() {
        String dev = "00-80-00-00-00-00-cc-01";
        AzureHubStandIn.MethodResult down = hub.invokeMethod("down", "{\"deveui\":\"" + dev + "\",\"data\":\"QA==\"}", WAIT);
        assertEquals(200, down.status(), down.body());
        assertNotNull(lns.next("lora/" + dev + "/down", 10));
        assertEquals(200, hub.invokeMethod("downlink", "{\"deveui\":\"" + dev + "\",\"data\":\"QQ==\"}", WAIT).status(),
                "MultiTech's name for it");
        assertNotNull(lns.next("lora/" + dev + "/down", 10));

        AzureHubStandIn.MethodResult clear = hub.invokeMethod("clear", "{\"deveui\":\"" + dev + "\"}", WAIT);
        assertEquals(200, clear.status(), clear.body());
        assertEquals("success", body(clear).get("status").asText());
        assertNotNull(lns.next("lora/" + dev + "/clear", 10));

        AzureHubStandIn.MethodResult count = hub.invokeMethod("lora_req", "{\"command\":\"device count\"}", WAIT);
        assertEquals(200, count.status(), count.body());
        assertEquals(9, body(count).at("/result/count").asInt(), count.body());

        AzureHubStandIn.MethodResult logs = hub.invokeMethod("log_req", "{\"file\":\"messages\",\"lines\":1,\"filter\":\"lora\"}",
                WAIT);
        assertEquals(200, logs.status(), logs.body());
        assertEquals("line 2 lora", body(logs).get("result").asText());

        assertStatus(400, "'deveui' missing", hub.invokeMethod("down", "{\"data\":\"QA==\"}", WAIT));
        assertStatus(400, "not a JSON object", hub.invokeMethod("lora_req", "null", WAIT));
        assertStatus(400, "unterminated", hub.invokeMethod("lora_req", "{\"command\":\"device 'count\"}", WAIT));
        assertStatus(403, "api requests are disabled", hub.invokeMethod("api_req",
                "{\"method\":\"GET\",\"path\":\"/api/loraNetwork\"}", WAIT));
        assertStatus(404, "no method 'reboot'", hub.invokeMethod("reboot", "{}", WAIT));
        assertStatus(500, "lora-query failed", hub.invokeMethod("lora_req", "{\"command\":\"frobnicate\"}", WAIT));
        assertStatus(400, "not inside", hub.invokeMethod("log_req", "{\"file\":\"../../etc/passwd\",\"lines\":1}", WAIT));
        assertEquals(0, hub.strayMethodAnswers());
    }

    @Test
    void aSlowMethodHoldsUpNeitherTheOtherMethodsNorCloudToDeviceMessages() throws Exception {
        String dev = "00-80-00-00-00-00-dd-01";
        java.util.concurrent.CompletableFuture<AzureHubStandIn.MethodResult> slow = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> hub.invokeMethod("lora_req", "{\"command\":\"sleep 1\"}", WAIT));
        org.awaitility.Awaitility.await().atMost(5, java.util.concurrent.TimeUnit.SECONDS)
                .until(() -> context.getInflightRepository().size("lora-method") > 0);
        long start = System.nanoTime();
        hub.sendC2d(Map.of(), ("{\"deveui\":\"" + dev + "\",\"data\":\"QA==\"}").getBytes());
        AzureHubStandIn.MethodResult logs = hub.invokeMethod("log_req", "{\"file\":\"messages\",\"lines\":1}", WAIT);
        assertEquals(200, logs.status());
        assertNotNull(lns.next("lora/" + dev + "/down", 2));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 800, "log_req answered and the C2D message delivered in " + ms + " ms, not after the slow one");
        assertEquals(200, slow.get(10, java.util.concurrent.TimeUnit.SECONDS).status());
    }

    private static void assertStatus(int status, String error, AzureHubStandIn.MethodResult result) {
        assertEquals(status, result.status(), result.body());
        JsonNode body = body(result);
        assertEquals("fail", body.get("status").asText(), result.body());
        assertTrue(body.get("error").asText().contains(error), result.body());
    }

    private static JsonNode body(AzureHubStandIn.MethodResult result) {
        return Json.object(result.body().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> withoutHubProperties(AzureHubStandIn.D2c d) {
        Map<String, String> mine = new java.util.HashMap<>(d.properties());
        mine.keySet().removeIf(k -> k.startsWith("$."));
        return mine;
    }

    private static AzureHubStandIn.D2c await(java.util.function.Predicate<AzureHubStandIn.D2c> which) {
        return org.awaitility.Awaitility.await().atMost(WAIT).until(
                () -> hub.d2c().stream().filter(which).reduce((a, b) -> b).orElse(null), java.util.Objects::nonNull);
    }
}
