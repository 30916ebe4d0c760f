package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.message.Json;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.TestSecrets;
import io.camelappconnect.support.WebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 10, LENS application networks: two applications on brokers of their own and the default app on a
 * third; each device's traffic on its application's broker only; applications added, changed and removed (read again
 * every 300 ms here) while uplinks flow; a join of an unknown AppEUI; a list that is not JSON, an application with a
 * bad URL. lora-query is the test stand-in, answering from the files this test writes.
 */
class Behaviour10AppNetworksTest extends AppNetworksTestSupport {

    @Test
    void eachDevicesTrafficGoesToItsApplicationsBrokerOnly() throws Exception {
        list(app(APP_A, brokerA, "a"), app(APP_B, brokerB, "b"));
        awaitServed(APP_A, APP_B);
        try (MqttProbe a = new MqttProbe(brokerA.url()).subscribe("lorawan/#");
             MqttProbe b = new MqttProbe(brokerB.url()).subscribe("lorawan/#")) {
            cloud.subscribe("lorawan/+/+/up");
            await().alias("A's init, retained on A's broker").atMost(10, TimeUnit.SECONDS)
                    .until(() -> MqttProbe.retained(brokerA.url(), "lorawan/" + APP_A + "/" + GW + "/init") != null);

            lns.publish("lora/" + APP_A + "/" + DEV_A + "/up", uplink(APP_A, DEV_A, 1));
            lns.publish("lora/" + APP_B + "/" + DEV_B + "/up", uplink(APP_B, DEV_B, 1));
            lns.publish("lora/" + APP + "/" + DEV_DEFAULT + "/up", uplink(APP, DEV_DEFAULT, 1));

            assertNotNull(a.next("lorawan/" + APP_A + "/" + DEV_A + "/up", 5), "A's device on A's broker");
            assertNotNull(b.next("lorawan/" + APP_B + "/" + DEV_B + "/up", 5), "B's device on B's broker");
            assertNotNull(cloud.next("lorawan/" + APP + "/" + DEV_DEFAULT + "/up", 5), "the default app's device");
            assertTrue(cloud.drain(0.5).stream().noneMatch(r -> r.topic().contains(DEV_A) || r.topic().contains(DEV_B)),
                    "nothing of A or B on the default app's broker");
            assertTrue(a.drain(0.3).stream().noneMatch(r -> r.topic().contains(DEV_B) || r.topic().contains(DEV_DEFAULT)));
            assertTrue(b.drain(0.3).stream().noneMatch(r -> r.topic().contains(DEV_A) || r.topic().contains(DEV_DEFAULT)));

            lns.publish("lora/" + DEV_A + "/joined", "{\"appeui\":\"" + APP_A + "\",\"joineui\":\"" + APP_A + "\"}");
            assertNotNull(a.next("lorawan/" + APP_A + "/" + DEV_A + "/joined", 5));
            assertNotNull(a.next("lorawan/" + GW + "/" + DEV_A + "/joined", 5));

            lns.subscribe("lora/+/down");
            a.publish("lorawan/" + APP_A + "/" + DEV_A + "/down", "{\"data\":\"QA==\",\"port\":2}");
            Received down = lns.next("lora/" + DEV_A + "/down", 5);
            assertNotNull(down, "a downlink from A's broker");
            assertEquals(DEV_A, Json.MAPPER.readTree(down.payload()).get("deveui").asText());
        }
    }

    @Test
    void applicationsAddedChangedAndRemovedWhileUplinksFlowLoseNothingOfThoseThatStay() throws Exception {
        awaitServed(APP_A);
        try (MqttProbe a = new MqttProbe(brokerA.url()).subscribe("lorawan/" + APP_A + "/+/up");
             MqttProbe b = new MqttProbe(brokerB.url()).subscribe("lorawan/" + APP_B + "/+/up", "lorawan/" + APP_B + "/+/close")) {
            cloud.subscribe("lorawan/+/+/up");
            UplinksFlow uplinks = new UplinksFlow();
            try {
                sleep(500);
                list(app(APP_A, brokerA, "a"), app(APP_B, brokerB, "b")); // B added
                awaitServed(APP_A, APP_B);
                lns.publish("lora/" + APP_B + "/" + DEV_B + "/up", uplink(APP_B, DEV_B, 1));
                assertNotNull(b.next("lorawan/" + APP_B + "/" + DEV_B + "/up", 5), "B, added, carries its device");
                list(app(APP_A, brokerA, "a-2"), app(APP_B, brokerB, "b")); // A changed: reconnected
                await().atMost(10, TimeUnit.SECONDS).until(() -> embedded(brokerA).connects().stream()
                        .anyMatch(c -> c.getClientID().equals("a-2")));
                sleep(500);
                list(app(APP_A, brokerA, "a-2")); // B removed
                awaitServed(APP_A);
                assertNotNull(b.next("lorawan/" + APP_B + "/" + GW + "/close", 5), "B said close");
                sleep(500);
            } finally {
                uplinks.stop();
            }
            int last = uplinks.last();
            Set<Integer> onA = fcnts(a, DEV_A, last);
            Set<Integer> onCloud = fcnts(cloud, DEV_DEFAULT, last);
            System.out.println("APPNETS added, changed, removed during " + last + " uplinks each of A's device and the"
                    + " default app's: on A's broker " + onA.size() + ", on the default app's " + onCloud.size());
            assertEquals(last, onA.size(), "0 lost of A's device (it stayed, was changed)");
            assertEquals(last, onCloud.size(), "0 lost of the default app's device");
        }
    }

    @Test
    void anApplicationOnAWebServerGetsItsDevicesPostsAndItsAnswersDownlinks() throws Exception {
        String devC = "00-80-00-ff-ff-00-0c-01";
        try (WebServer server = WebServer.start()) {
            server.answer(r -> r.path().endsWith("/up")
                    ? new WebServer.Answer(200, "{\"deveui\":\"" + devC + "\",\"data\":\"AQ==\",\"port\":3}", 0)
                    : new WebServer.Answer(200, "{}", 0));
            list(app(APP_A, brokerA, "a"), "{\"eui\":\"" + APP_C + "\",\"url\":\"" + server.url("/lens") + "\"}");
            awaitServed(APP_A, APP_C);
            lns.subscribe("lora/+/down");

            lns.publish("lora/" + APP_C + "/" + devC + "/up", uplink(APP_C, devC, 1));

            await().atMost(10, TimeUnit.SECONDS).until(() -> server.requestsTo("/up").size(), n -> n >= 1);
            assertEquals("/lens/api/v1/lorawan/" + APP_C + "/" + devC + "/up", server.requestsTo("/up").get(0).path());
            await().alias("its init").atMost(10, TimeUnit.SECONDS) // a timer's, not ordered with the uplink
                    .until(() -> server.requestsTo("/lens/api/v1/lorawan/" + APP_C + "/" + GW + "/init").size(), n -> n == 1);
            assertNotNull(lns.next("lora/" + devC + "/down", 5), "the downlink in the server's answer");
            assertTrue(cloud.drain(0.3).stream().noneMatch(r -> r.topic().contains(devC)), "not on the default app's");
        }
    }

    @Test
    void eachApplicationNetworkHasItsHealthAndItsMetricsWhileItIsThere() throws Exception {
        awaitServed(APP_A);
        assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode());
        // B comes while the app runs; C too, its broker not there
        list(app(APP_A, brokerA, "a"), app(APP_B, brokerB, "b"),
                away(APP_C));
        awaitServed(APP_A, APP_B, APP_C);
        await().atMost(10, TimeUnit.SECONDS).until(() -> Http.get(PORT, "/observe/metrics").body(),
                body -> body.contains("app_connected{broker=\"" + CONNECTION_B + "\"} 1.0"));
        String down = Http.awaitStatus(PORT, "/observe/health?data=true", 503, 10).body();
        assertTrue(down.contains("\"" + CONNECTION_C + ".connected\":false") && down.contains("\"" + CONNECTION_A
                + ".connected\":true"), down);

        list(app(APP_A, brokerA, "a")); // B and C go
        awaitServed(APP_A);
        assertEquals(200, Http.awaitStatus(PORT, "/observe/health", 200, 10).statusCode(), "C went: UP again");
        await().atMost(10, TimeUnit.SECONDS).until(() -> Http.get(PORT, "/observe/metrics").body(),
                body -> !body.contains(CONNECTION_B) && body.contains("app_connected{broker=\"" + CONNECTION_A + "\"} 1.0"));
    }

    @Test
    void backhaulDetectTellsADeviceOfItsOwnApplicationsLink() {
        String devC = "00-80-00-ff-ff-00-0c-02";
        list(app(APP_A, brokerA, "a"), away(APP_C));
        awaitServed(APP_A, APP_C);
        awaitConnected(CONNECTION_A);
        lns.subscribe("lora/+/down");

        lns.publish("lora/" + APP_A + "/" + DEV_A + "/up", uplink(APP_A, DEV_A, 1));
        lns.publish("lora/" + APP_C + "/" + devC + "/up", uplink(APP_C, devC, 1));

        assertNotNull(lns.next("lora/" + devC + "/down", 5), "C's broker is not there: its device is told");
        assertTrue(lns.drain(0.5).stream().noneMatch(r -> r.topic().contains(DEV_A)), "A's is there: its device is not");
    }

    /**
     * Issue 20 #12 and #11: 50 changes of an application whose broker is away, each new connection's backhaul
     * throttle made by its device's uplink; only the live ones stay held, and its password and URL login reach no
     * log line.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void fiftyChangesOfAnApplicationHoldOnlyTheLiveConnectionsThrottle() throws IOException {
        String devC = "00-80-00-ff-ff-00-0c-02";
        String password = TestSecrets.APP_PASSWORD;
        Object[] before = {context.hasComponent(CONNECTION_C)};
        lns.subscribe("lora/" + devC + "/down");
        for (int change = 1; change <= 50; change++) {
            list("{\"eui\":\"" + APP_C + "\",\"url\":\"tcp://user:" + password + "@127.0.0.1:1\",\"options\":{"
                    + "\"client_id\":\"c" + change + "\",\"username\":\"user\",\"password\":\"" + password + "\"}}");
            await().alias("change " + change + " applied").atMost(10, TimeUnit.SECONDS)
                    .until(() -> networks().served().contains(APP_C) && context.hasComponent(CONNECTION_C) != null
                            && context.hasComponent(CONNECTION_C) != before[0]);
            before[0] = context.hasComponent(CONNECTION_C);
            lns.publish("lora/" + APP_C + "/" + devC + "/up", uplink(APP_C, devC, change));
            assertNotNull(lns.next("lora/" + devC + "/down", 5), "change " + change + ": its device is told");
            assertTrue(networks().throttlesHeld() <= 1, "change " + change + ": " + networks().throttlesHeld());
        }
        assertEquals(1, networks().throttlesHeld(), "the live connection's throttle only");
        assertTrue(log.warnings().stream().noneMatch(w -> w.contains(password)), log.warnings().toString());
    }

    @Test
    void aJoinOfAnUnknownAppEuiAsksForItsApplication() throws Exception {
        awaitServed(APP_A);
        Files.writeString(appnets.resolve(APP_B + ".json"), app(APP_B, brokerB, "b"));
        try (MqttProbe b = new MqttProbe(brokerB.url()).subscribe("lorawan/+/" + DEV_B + "/joined")) {
            lns.publish("lora/" + DEV_B + "/joined", "{\"appeui\":\"" + APP_B + "\",\"joineui\":\"" + APP_B + "\"}");
            assertNotNull(b.next("lorawan/" + APP_B + "/" + DEV_B + "/joined", 5), "the join, on its application's broker");
        }
    }

    @Test
    void aListThatIsNotJsonAndAnApplicationWithABadUrlAreAWarnAndTheOthersGoOn() throws Exception {
        awaitServed(APP_A);
        Files.writeString(appnets.resolve("list.json"), "appnet: not ready");
        assertNotNull(log.await(5, "lora-query -x appnet list json", "not JSON"), "a WARN saying the list is no JSON");
        list(app(APP_A, brokerA, "a"), "{\"eui\":\"" + APP_B + "\",\"url\":\"ftp://nowhere\"}");
        assertNotNull(log.await(5, "application network " + APP_B, "ftp://nowhere", "not served"),
                "a WARN naming the application and its URL");
        list(app(APP_A, brokerA, "a"), "{\"eui\":\"" + APP_C + "\",\"url\":\"mqtts://127.0.0.1:8883\",\"options\":"
                + "{\"server_cert\":\"-----BEGIN CERTIFICATE-----\\nnot a certificate\\n-----END CERTIFICATE-----\"}}");
        assertNotNull(log.await(5, "application network " + APP_C, "server_cert", "not served"),
                "a WARN naming the application and its certificate");
        assertEquals(Set.of(APP_A), networks().served());
        try (MqttProbe a = new MqttProbe(brokerA.url()).subscribe("lorawan/+/+/up")) {
            lns.publish("lora/" + APP_A + "/" + DEV_A + "/up", uplink(APP_A, DEV_A, 9));
            assertNotNull(a.next("lorawan/" + APP_A + "/" + DEV_A + "/up", 5), "A goes on");
        }
    }
}
