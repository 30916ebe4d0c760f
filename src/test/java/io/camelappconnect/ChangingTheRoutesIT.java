package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.PackagedApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipes of docs/routes.md's "Changing the routes" and of docs/filters.md's second broker: each one, taken from
 * that page as written there, applied to a copy of {@code routes/} and {@code config/} and run on the packaged jar,
 * with no build.
 */
class ChangingTheRoutesIT {

    /** A device of each test's own: the brokers live for the class and keep each test's retained uplinks. */
    private static final String DEV = "00-80-00-ff-ff-00-00-71";
    private static final String DEV2 = "00-80-00-ff-ff-00-00-72";
    private static final String DEV3 = "00-80-00-ff-ff-00-00-73";
    private static final String LNS_UP = "lora/" + APP + "/" + DEV + "/up";
    private static final String UP = "lorawan/" + GW + "/" + APP + "/" + DEV + "/up";
    /** Where uplinkData's step ends in the uplink route: recipes that add a step go after it. */
    private static final String AFTER_UPLINK_DATA = "            ref: uplinkData\n";
    private static final String AFTER_DEVICE_EUIS = "            ref: deviceEuis\n";
    private static final String FILTERS = "docs/filters.md";
    private static final String BEFORE_COUNTING_UPLINKS = "        - process:\n            ref: countUp\n";

    private static Mosquitto lnsBroker;
    private static Mosquitto cloudBroker;

    @TempDir
    Path dir;

    @BeforeAll
    static void brokers() {
        lnsBroker = Mosquitto.start();
        cloudBroker = Mosquitto.start();
    }

    @AfterAll
    static void stopBrokers() {
        lnsBroker.stop();
        cloudBroker.stop();
    }

    @Test
    void addAFieldToEveryUplink() throws Exception {
        try (PackagedApp app = app().edit("routes/uplinks.yaml", yaml -> insertAfter(yaml, AFTER_UPLINK_DATA,
                recipe("add-a-field"))).start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe(UP);
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            app.awaitLine(30, "lns: connected");
            lns.publish(LNS_UP, uplink(APP, DEV, 1));
            MqttProbe.Received up = cloud.next(UP, 10);
            assertNotNull(up, "no uplink; the app wrote:\n" + app.output());
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(up.payload());
            assertEquals("north", json.get("site").asText(), up.text());
            assertEquals(Json.MAPPER.readTree(uplink(APP, DEV, 1)), json.deepCopy().without("site"), "the rest as the LNS sent it");
        }
    }

    @Test
    void changeTheUplinkTopic() throws Exception {
        String newTopic = "sites/north/" + DEV2 + "/up";
        try (PackagedApp app = app().edit("routes/uplinks.yaml", yaml -> replaceLine(yaml,
                "uri: \"cloud:lorawan/{{gateway.uuid}}/${header.appEui}/${header.devEui}/up?retained={{app.retain}}\"",
                recipe("uplink-topic"))).start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("#");
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            app.awaitLine(30, "lns: connected");
            lns.publish("lora/" + APP + "/" + DEV2 + "/up", uplink(APP, DEV2, 2));
            MqttProbe.Received up = cloud.next(newTopic, 10);
            assertNotNull(up, "no uplink on " + newTopic + "; the app wrote:\n" + app.output());
            assertEquals(uplink(APP, DEV2, 2), up.text());
        }
    }

    @Test
    void sendUplinksToASecondCloudBrokerAsWell() throws Exception {
        try (Mosquitto backupBroker = Mosquitto.start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("#");
             MqttProbe backup = new MqttProbe(backupBroker.url()).subscribe("#");
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            PackagedApp app = app()
                    .configure(recipe("second-broker-config").replace("tcp://backup.example.com:1883", backupBroker.url()))
                    .edit("routes/uplinks.yaml", yaml -> insertBefore(yaml, BEFORE_COUNTING_UPLINKS,
                            recipe("second-broker-route")))
                    .start();
            try (app) {
                app.awaitLine(30, "backup: connected");
                app.awaitLine(30, "lns: connected");
                String up = "lorawan/" + GW + "/" + APP + "/" + DEV3 + "/up";
                lns.publish("lora/" + APP + "/" + DEV3 + "/up", uplink(APP, DEV3, 3));
                MqttProbe.Received first = cloud.next(up, 10);
                MqttProbe.Received second = backup.next(up, 10);
                assertNotNull(first, "the first broker's uplink; the app wrote:\n" + app.output());
                assertNotNull(second, "the second broker's uplink; the app wrote:\n" + app.output());
                assertEquals(uplink(APP, DEV3, 3), first.text(), "the first broker's traffic as without the recipe");
                assertEquals(uplink(APP, DEV3, 3), second.text());
                assertTrue(Files.isDirectory(app.dir().resolve("store/backup")), "its own store");

                app.kill(); // no goodbye: the second broker publishes its will
                assertNotNull(backup.next("backup/gateway-gone", 10), "the second connection's will");
            }
        }
    }

    /** docs/filters.md, "A second broker that takes a subset": its three blocks as written there. */
    @Test
    void sendASubsetOfTheDevicesAndFieldsToASecondBroker() throws Exception {
        String allowed = "00-80-00-ff-ff-00-00-74";
        String denied = "00-80-00-ff-ff-00-00-02"; // the recipe's deny entry
        String otherMaker = "00-90-00-ff-ff-00-00-75";
        try (Mosquitto backupBroker = Mosquitto.start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe backup = new MqttProbe(backupBroker.url()).subscribe("#");
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            PackagedApp app = app()
                    .configure(recipe(FILTERS, "subset-config").replace("tcp://backup.example.com:1883",
                            backupBroker.url()))
                    .edit("routes/backup-uplinks.yaml", none -> recipe(FILTERS, "subset-route"))
                    .edit("routes/uplinks.yaml", yaml -> insertAfter(yaml, AFTER_DEVICE_EUIS,
                            recipe(FILTERS, "subset-multicast")))
                    .start();
            try (app) {
                app.awaitLine(30, "backup: connected");
                app.awaitLine(30, "lns: connected");
                List<String> devices = List.of(allowed, denied, otherMaker);
                for (int i = 0; i < devices.size(); i++) {
                    lns.publish("lora/" + APP + "/" + devices.get(i) + "/up", uplink(APP, devices.get(i), 10 + i));
                }
                Map<String, String> atTheCloud = new HashMap<>(); // in order per device, not across them
                await().atMost(10, TimeUnit.SECONDS).alias("the cloud's three uplinks").until(() -> {
                    cloud.drain(0.2).forEach(r -> atTheCloud.put(r.topic(), r.text()));
                    return atTheCloud.size() >= devices.size();
                });
                for (int i = 0; i < devices.size(); i++) {
                    assertEquals(uplink(APP, devices.get(i), 10 + i), atTheCloud.get("lorawan/" + GW + "/" + APP + "/"
                            + devices.get(i) + "/up"), "the cloud's traffic as without the recipe");
                }
                // each uplink went to backup: (or not) before it went to the cloud
                List<MqttProbe.Received> subset = backup.drain(1);
                assertEquals(List.of("lorawan/" + GW + "/" + APP + "/" + allowed + "/up"),
                        subset.stream().map(MqttProbe.Received::topic).toList(), "the backup's subset");
                JsonNode json = Json.MAPPER.readTree(subset.get(0).payload());
                Set<String> fields = new HashSet<>();
                json.fieldNames().forEachRemaining(fields::add);
                assertEquals(Set.of("data", "port", "deveui", "appeui", "time"), fields, subset.get(0).text());
                assertEquals("dGVzdGRhdGE=", json.get("data").asText());
            }
        }
    }

    @Test
    void answerARequestTypeOfYourOwnAndTurnABuiltInOneOff() throws Exception {
        String res = "lorawan/" + GW + "/ping_res";
        String logRes = "lorawan/" + GW + "/log_res";
        try (PackagedApp app = app()
                .configure("app.requestOptions.log = true") // as the gateway had it before the recipe
                .configure(recipe("request-options"))
                .edit("routes/ping.yaml", none -> recipe("ping-route"))
                .start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe(res, logRes)) {
            app.awaitLine(30, "cloud: connected");
            // retained: the new route's SUBSCRIBE may reach the broker just after "connected" is logged, and a request
            // kept on the broker is handled once (and cleared) whenever it comes
            cloud.publish("lorawan/" + GW + "/ping_req", "{\"rid\":7}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    true);
            MqttProbe.Received pong = cloud.next(res, 10);
            assertNotNull(pong, "no ping_res; the app wrote:\n" + app.output());
            assertEquals(Json.MAPPER.readTree("{\"result\":\"pong\",\"rid\":7}"), Json.MAPPER.readTree(pong.payload()));

            cloud.publish("lorawan/" + GW + "/log_req", "{\"file\":\"messages\",\"lines\":1,\"rid\":8}");
            MqttProbe.Received off = cloud.next(logRes, 10);
            assertNotNull(off, "no log_res; the app wrote:\n" + app.output());
            assertEquals(Json.MAPPER.readTree("{\"error\":\"log requests are disabled\",\"status\":\"fail\",\"rid\":8}"),
                    Json.MAPPER.readTree(off.payload()));
        }
    }

    /** The copy of config/ and routes/, pointed at the test's brokers as a user would set them. */
    private PackagedApp app() {
        return new PackagedApp(dir).configure("app.url = " + cloudBroker.url(), "lns.url = " + lnsBroker.url(),
                "gateway.uuid = " + GW, "gateway.serial = 18474829", "gateway.euis = 00-80-00-00-d0-00-01-1a");
    }

    /** The code block under {@code <!-- recipe: name -->} in docs/routes.md. */
    static String recipe(String name) {
        return recipe("docs/routes.md", name);
    }

    /** The code block under {@code <!-- recipe: name -->} in a page of docs/. */
    static String recipe(String file, String name) {
        try {
            String page = Files.readString(Path.of(file));
            Matcher m = Pattern.compile("<!-- recipe: " + Pattern.quote(name) + " -->\n```\\w*\n(.*?)```", Pattern.DOTALL)
                    .matcher(page);
            assertTrue(m.find(), file + " has the recipe " + name);
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String insertAfter(String text, String anchor, String inserted) {
        int at = text.indexOf(anchor);
        assertTrue(at >= 0, "no '" + anchor.strip() + "' to insert after");
        return text.substring(0, at + anchor.length()) + inserted + text.substring(at + anchor.length());
    }

    private static String insertBefore(String text, String anchor, String inserted) {
        int at = text.indexOf(anchor);
        assertTrue(at >= 0, "no '" + anchor.strip() + "' to insert before");
        return text.substring(0, at) + inserted + text.substring(at);
    }

    /** Replaces the line holding {@code holding} with {@code line} (which ends with its newline). */
    private static String replaceLine(String text, String holding, String line) {
        int at = text.indexOf(holding);
        assertTrue(at >= 0, "no line with " + holding);
        int start = text.lastIndexOf('\n', at) + 1;
        int end = text.indexOf('\n', at) + 1;
        return text.substring(0, start) + line + text.substring(end);
    }
}
