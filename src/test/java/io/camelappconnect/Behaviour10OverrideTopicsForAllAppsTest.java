package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.support.AppnetsStandIn;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 10: app.options.overrideTopicsForAllApps makes a LENS application network use the default app's
 * uplinkTopic and downlinkTopic templates on its own broker.
 */
class Behaviour10OverrideTopicsForAllAppsTest extends BridgeTestSupport {

    private static final String APP_A = "aa-aa-aa-aa-aa-aa-aa-01";
    private static final String DEV_A = "00-80-00-ff-ff-00-0a-02";

    private static EmbeddedBroker brokerA;
    private static AppnetsStandIn appnets;

    @BeforeAll
    static void aBrokerAndAnApplicationOnIt() throws IOException {
        brokerA = EmbeddedBroker.start();
        appnets = AppnetsStandIn.create();
        Files.writeString(appnets.dir().resolve("list.json"), "[{\"eui\":\"" + APP_A + "\",\"url\":\"" + brokerA.url() + "\"}]");
    }

    @AfterAll
    static void stopIt() {
        brokerA.stop();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("loraQuery.command", appnets.command().toString());
        p.setProperty("app.options.uplinkTopic", "gw/%(gwuuid)s/%(appeui)s/%(deveui)s/data");
        p.setProperty("app.options.downlinkTopic", "gw/%(gwuuid)s/%(deveui)s/cmd");
        p.setProperty("app.options.overrideTopicsForAllApps", "true");
    }

    @Test
    void anApplicationNetworkUsesTheDefaultAppsTopicTemplates() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> context.getRegistry()
                .lookupByNameAndType("appNetworks", AppNetworks.class).served(), Set.of(APP_A)::equals);
        try (MqttProbe a = new MqttProbe(brokerA.url()).subscribe("gw/#")) {
            lns.subscribe("lora/+/down");
            lns.publish("lora/" + APP_A + "/" + DEV_A + "/up", uplink(APP_A, DEV_A, 1));
            assertNotNull(a.next("gw/" + GW + "/" + APP_A + "/" + DEV_A + "/data", 5), "the uplink on the template's topic");

            await().atMost(10, TimeUnit.SECONDS).until(() -> {
                a.publish("gw/" + GW + "/" + DEV_A + "/cmd", "{\"data\":\"QA==\"}");
                Received down = lns.next("lora/" + DEV_A + "/down", 0.5);
                return down != null;
            });
        }
    }
}
