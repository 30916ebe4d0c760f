package io.camelappconnect;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 3: a cloud broker that is down when the app starts is retried until it answers; init then arrives.
 * Real Mosquitto: the embedded broker's session loop can die on a PUBACK after such a restart (a Moquette bug).
 */
@WithMosquitto
class Behaviour3BrokerDownAtStartTest extends BridgeTestSupport {

    @BeforeAll
    static void cloudBrokerDown() {
        cloudBroker.stop();
    }

    @Override
    protected boolean brokersUpAtStart() {
        return false;
    }

    @Test
    void theFirstConnectIsRetriedUntilTheBrokerComesAndInitIsDeliveredThen() {
        assertNotNull(log.await(5, "cloud: cannot connect to " + cloudBroker.url()), "the failure is logged");
        sleep(1500); // a sleep: the broker stays away 1.5 s, over several tries (mqtt.reconnect.maxDelay=500)
        assertFalse(broker("cloud").isConnected());

        cloudBroker.restart();
        awaitConnected("cloud");

        assertNotNull(MqttProbe.retained(cloudBroker.url(), "lorawan/" + GW + "/init"), "init, kept while the broker was down");
        try (MqttProbe lns = new MqttProbe(lnsBroker.url()); MqttProbe cloud = new MqttProbe(cloudBroker.url())) {
            cloud.subscribe("lorawan/" + GW + "/+/00-80-00-ff-ff-00-00-61/up");
            lns.publish("lora/" + APP + "/00-80-00-ff-ff-00-00-61/up", uplink(APP, "00-80-00-ff-ff-00-00-61", 1));
            assertNotNull(cloud.next(5), "and uplinks flow");
        }
    }
}
