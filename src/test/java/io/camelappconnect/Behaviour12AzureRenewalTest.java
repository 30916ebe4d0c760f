package io.camelappconnect;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AzureTestSupport;
import io.camelappconnect.support.AzureHubStandIn;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 12: each renewal of the SAS token is a new connection to the hub (the stand-in closes one whose token
 * expired), and it comes back with both subscriptions: C2D messages and direct methods reach the bridge after it as
 * before. azure.tokenTtl 10 s: a renewal every 8.5 s.
 */
@Timeout(60)
class Behaviour12AzureRenewalTest extends AzureTestSupport {


    @Override
    protected void properties(Properties p) {
        p.setProperty("azure.tokenTtl", "10");
    }

    @Test
    void afterEachRenewalCloudToDeviceMessagesAndMethodsStillArrive() {
        try (MqttProbe lns = new MqttProbe(lnsBroker.url()).subscribe("lora/+/down")) {
            for (int renewal = 1; renewal <= 2; renewal++) {
                int accepted = hub.connectionsAccepted();
                await().atMost(15, TimeUnit.SECONDS).until(() -> hub.connectionsAccepted() > accepted);
                await().atMost(10, TimeUnit.SECONDS).until(hub::takesMethods);
                String dev = "00-80-00-00-00-00-ff-0" + renewal;
                hub.sendC2d(Map.of(), ("{\"deveui\":\"" + dev + "\",\"data\":\"QA==\"}").getBytes());
                assertNotNull(lns.next("lora/" + dev + "/down", 10), "the C2D message after renewal " + renewal);
                AzureHubStandIn.MethodResult answer = hub.invokeMethod("down",
                        "{\"deveui\":\"" + dev + "\",\"data\":\"QQ==\"}", Duration.ofSeconds(10));
                assertEquals(200, answer.status(), "the method after renewal " + renewal + ": " + answer.body());
                assertNotNull(lns.next("lora/" + dev + "/down", 10));
            }
        }
        assertEquals(List.of(), hub.refusedSubscriptions());
        assertEquals(List.of(), hub.refusals());
    }
}
