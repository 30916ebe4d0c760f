package io.camelappconnect;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.RequestTestSupport;
import io.camelappconnect.support.ThroughRelays;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * behaviour.md 5: a request whose link drops while it runs is run once and answered once: the cloud's commands are
 * acknowledged as they arrive, so the broker has nothing to send again after the reconnect.
 */
@ThroughRelays
class Behaviour5RequestOnceTest extends RequestTestSupport {

    @Test
    void aRequestInterruptedByALinkDropRunsOnce() {
        cloud.subscribe("lorawan/" + GW + "/lora_res", "lorawan/" + GW + "/connected");
        cloud.publish("lorawan/" + GW + "/lora_req", "{\"command\":\"sleep 1\",\"rid\":4242}");
        await().alias("lora-query running").atMost(5, TimeUnit.SECONDS)
                .until(() -> loraQueryCalls().contains(List.of("-x", "sleep", "1")));

        toCloud.cut();

        assertNotNull(cloud.next("lorawan/" + GW + "/connected", 10), "reconnected");
        MqttProbe.Received answer = cloud.next("lorawan/" + GW + "/lora_res", 5);
        assertNotNull(answer, "answered after the reconnect");
        assertEquals(4242, read(answer.payload()).get("rid").asInt());
        assertNull(cloud.next("lorawan/" + GW + "/lora_res", 2.5), "answered once");
        assertEquals(List.of(List.of("-x", "sleep", "1")), loraQueryCalls(), "run once");
    }
}
