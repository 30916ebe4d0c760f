package io.camelappconnect;

import java.util.List;
import java.util.Properties;

import io.camelappconnect.message.Json;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** behaviour.md 8: app.apiVersion 1.1 leaves out connected and clear; app.retain=false publishes nothing retained. */
class Behaviour8ApiVersion11Test extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.1");
        p.setProperty("app.retain", "false");
    }

    @Test
    void initSays11AndThereIsNoConnectedNorClear() throws Exception {
        MqttProbe.Received init = MqttProbe.retained(cloudBroker.url(), "lorawan/" + GW + "/init");
        assertNotNull(init, "init stays retained");
        assertEquals("1.1", Json.MAPPER.readTree(init.payload()).get("api_version").asText());
        String bridge = "lorawan/ff-ff-ff-ff-ff-ff-ff-ff/" + GW + " ";
        List<String> subscribed = embedded(cloudBroker).subscriptions().stream().filter(s -> s.startsWith(bridge))
                .map(s -> s.substring(bridge.length())).distinct().sorted().toList();
        assertEquals(List.of("lorawan/" + GW + "/api_req", "lorawan/" + GW + "/down", "lorawan/" + GW + "/log_req",
                "lorawan/" + GW + "/lora_req"), subscribed, "no clear in 1.1");

        cloud.subscribe("lorawan/" + GW + "/connected");
        cloud.close();
        cloudBroker.stop();
        cloudBroker.restart();
        cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/connected");
        awaitConnected("cloud");
        assertNull(cloud.next(1.5), "no connected in API 1.1");
    }

    @Test
    void withRetainOffUplinksAreNotRetained() {
        String dev = "00-80-00-ff-ff-00-00-41";
        String topic = "lorawan/" + GW + "/" + APP + "/" + dev + "/up";
        cloud.subscribe(topic);

        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));

        assertNotNull(cloud.next(topic, 5));
        assertNull(MqttProbe.retained(cloudBroker.url(), topic));
    }
}
