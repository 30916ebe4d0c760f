package io.camelappconnect;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.ThroughRelays;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 3, a link that fails without a reset: packets dropped upstream, or a middlebox that accepts the TCP
 * connection and never answers. The keepalive notices the silence, every connect that gets no CONNACK is abandoned
 * after {@code mqtt.connectTimeout} and tried again with a new client, and the bridge is back as soon as the link is.
 * Real Mosquitto behind a relay that swallows everything while silent.
 */
@WithMosquitto
@ThroughRelays
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class Behaviour3SilentLinkTest extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.options.keepalive", "2");
        p.setProperty("mqtt.connectTimeout", "1500");
    }

    @Test
    void aSilentLinkIsNoticedAndConnectsThatGetNoAnswerAreTriedAgainUntilItAnswers() {
        cloud.subscribe("lorawan/" + GW + "/+/+/up");
        toCloud.silent(true); // the connection made goes silent; every new one is accepted and never answered
        await().alias("the silence noticed: cloud connection down").atMost(10, TimeUnit.SECONDS)
                .until(() -> !broker("cloud").isConnected());
        assertNotNull(log.await(1, "cloud: connection to " + toCloud.url() + " lost"));
        // two connects in a row got no CONNACK: each was abandoned and a new one made
        assertNotNull(log.await(15, "cloud: cannot connect to", "tries so far"));

        toCloud.silent(false);
        await().alias("cloud connection up again").atMost(10, TimeUnit.SECONDS)
                .until(() -> broker("cloud").isConnected());
        String dev = "00-80-00-ff-ff-00-07-01";
        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
        assertNotNull(cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/up", 10), "uplinks flow again");
    }
}
