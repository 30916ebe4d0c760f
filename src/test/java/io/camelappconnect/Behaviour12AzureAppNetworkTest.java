package io.camelappconnect;

import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.AppnetsStandIn;
import io.camelappconnect.support.AzureHubStandIn;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 12 with behaviour.md 10: a LENS application network whose options say cloudService AZURE is a device
 * of its hub (the stand-in, its rules enforced), while the default app stays on its broker with API 1.0's topics:
 * the application's device traffic goes as D2C messages, its init at start and its close when it leaves the list,
 * and C2D messages to it reach the LNS. lora-query is the test stand-in, answering from the list this test writes.
 */
@Timeout(60)
class Behaviour12AzureAppNetworkTest extends BridgeTestSupport {

    private static final String APP_HUB = "cc-cc-cc-cc-cc-cc-cc-03";
    private static final String DEV_HUB = "00-80-00-ff-ff-00-0c-01";
    private static final String DEV_DEFAULT = "00-80-00-ff-ff-00-0d-02";
    private static final String DEVICE = "lens-app-device";

    private static AzureHubStandIn hub;
    private static AppnetsStandIn standIn;

    @BeforeAll
    static void aHubAndAStandIn() throws IOException {
        hub = AzureHubStandIn.start("127.0.0.1", DEVICE, Base64.getDecoder().decode(TestSecrets.AZURE_DEVICE_KEY));
        standIn = AppnetsStandIn.create();
    }

    @AfterAll
    static void stopIt() {
        hub.close();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("loraQuery.command", standIn.command().toString());
        p.setProperty("appnet.refresh", "300");
        standIn.list(onTheHub());
    }

    private static String onTheHub() {
        ObjectNode app = Json.MAPPER.createObjectNode();
        app.put("eui", APP_HUB.replace("-", "").toUpperCase());
        app.put("url", hub.url());
        ObjectNode options = app.putObject("options");
        options.put("cloudService", "AZURE");
        options.put("client_id", DEVICE);
        options.put("sharedAccessKey", TestSecrets.AZURE_DEVICE_KEY);
        options.put("server_cert", hub.caPem());
        return app.toString();
    }

    private AppNetworks networks() {
        return context.getRegistry().lookupByNameAndType("appNetworks", AppNetworks.class);
    }

    @Test
    void anApplicationOnAHubSendsItsDevicesTrafficAsDeviceToCloudMessagesAndTakesItsCommands() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> networks().served(), s -> s.equals(Set.of(APP_HUB)));
        AzureHubStandIn.D2c init = awaitD2c("init", null);
        assertTrue(Json.object(init.payload()).has("gateways_euis"), init.text());

        cloud.subscribe("lorawan/+/+/up");
        lns.publish("lora/" + APP_HUB + "/" + DEV_HUB + "/up", uplink(APP_HUB, DEV_HUB, 1));
        lns.publish("lora/" + APP + "/" + DEV_DEFAULT + "/up", uplink(APP, DEV_DEFAULT, 1));
        AzureHubStandIn.D2c up = awaitD2c("up", DEV_HUB);
        assertEquals(APP_HUB, up.properties().get("appeui"));
        assertNotNull(cloud.next("lorawan/" + APP + "/" + DEV_DEFAULT + "/up", 5), "the default app's device, on its broker");
        assertTrue(cloud.drain(0.5).stream().noneMatch(r -> r.topic().contains(DEV_HUB)), "nothing of the hub's here");

        lns.publish("lora/" + DEV_HUB + "/joined", "{\"appeui\":\"" + APP_HUB + "\",\"joineui\":\"" + APP_HUB + "\"}");
        assertEquals(DEV_HUB, Json.object(awaitD2c("joined", DEV_HUB).payload()).get("deveui").asText());

        lns.subscribe("lora/+/down");
        hub.sendC2d(Map.of(), ("{\"deveui\":\"" + DEV_HUB + "\",\"data\":\"QA==\",\"port\":2}").getBytes());
        assertNotNull(lns.next("lora/" + DEV_HUB + "/down", 10), "a C2D message to the application's device");

        standIn.list();
        awaitD2c("close", null);
        await().atMost(10, TimeUnit.SECONDS).until(() -> networks().served(), Set::isEmpty);
        assertEquals(List.of(), hub.closures(), "the hub's rules closed no connection");
        assertEquals(List.of(), hub.refusedSubscriptions());
        assertEquals(List.of(), hub.refusals());
    }

    private static AzureHubStandIn.D2c awaitD2c(String event, String deveui) {
        return await().alias("a D2C message event=" + event).atMost(Duration.ofSeconds(10)).until(() -> hub.d2c()
                .stream().filter(d -> event.equals(d.properties().get("event"))
                        && (deveui == null || deveui.equals(d.properties().get("deveui")))).findFirst().orElse(null),
                java.util.Objects::nonNull);
    }
}
