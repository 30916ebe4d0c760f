package io.camelappconnect;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AzureHubStandIn;
import io.camelappconnect.support.AzureTestSupport;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 12: where 8883 is blocked, the hub serves MQTT over WebSocket on 443 at /$iothub/websocket; a
 * {@code wss://} app.url without a path goes there (the stand-in serves that path only).
 */
@Timeout(60)
class Behaviour12AzureWebSocketTest extends AzureTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.url", hub.webSocketUrl());
    }

    @Test
    void aWebSocketUrlWithoutAPathReachesTheHubsWebSocketEndpoint() {
        await().atMost(10, TimeUnit.SECONDS).until(hub::takesMethods);
        try (MqttProbe gateway = new MqttProbe(lnsBroker.url()).subscribe("lora/+/down")) {
            String dev = "00-80-00-00-00-00-0a-01";
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
            await().atMost(10, TimeUnit.SECONDS).until(() -> hub.d2c().stream()
                    .anyMatch(d -> dev.equals(d.properties().get("deveui"))));
            AzureHubStandIn.MethodResult down = hub.invokeMethod("down", "{\"deveui\":\"" + dev + "\",\"data\":\"QA==\"}",
                    Duration.ofSeconds(10));
            assertEquals(200, down.status(), down.body());
            assertNotNull(gateway.next("lora/" + dev + "/down", 10));
        }
        assertEquals(List.of(), hub.closures());
    }
}
