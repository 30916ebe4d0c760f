package io.camelappconnect;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AzureHubStandIn;
import io.camelappconnect.support.AzureTestSupport;
import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 12: MultiTech's Azure setup names the uplink topic itself, {@code devices/%(client_id)s/messages/events/}
 * (client_id being the device id); that template still wins over our property bag, trailing slash and all.
 */
@Timeout(60)
class Behaviour12AzureUplinkTopicTest extends AzureTestSupport {

    final LogCapture log = LogCapture.capture();

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.options.uplinkTopic", "devices/%(client_id)s/messages/events/");
    }

    @Test
    void multiTechsUplinkTopicTemplateStillOverridesTheTopic() {
        try (MqttProbe gateway = new MqttProbe(lnsBroker.url())) {
            String dev = "00-80-00-00-00-00-0b-01";
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
            AzureHubStandIn.D2c up = await().atMost(10, TimeUnit.SECONDS).until(() -> hub.d2c().stream()
                    .filter(d -> d.text().contains(dev)).findFirst().orElse(null), java.util.Objects::nonNull);
            assertEquals("devices/" + DEVICE + "/messages/events/", up.topic());
        }
        assertEquals(List.of(), log.warnings().stream().filter(w -> w.contains("uplinkTopic")
                || w.contains("a level is missing")).toList());
        assertEquals(List.of(), hub.closures());
    }
}
