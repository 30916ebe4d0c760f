package io.camelappconnect;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.ThroughRelays;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * behaviour.md 3: a broker that restarts without its sessions gets the subscriptions back, and the cloud hears
 * `connected` again but not `init`. Real Mosquitto: the embedded broker's session loop can die after a restart.
 */
@WithMosquitto
@ThroughRelays
class Behaviour3BrokerRestartTest extends BridgeTestSupport {

    @Test
    void cloudBrokerRestartBringsBackSubscriptionsAndConnectedButNotInit() {
        cloud.close();
        toCloud.refuse(true);
        cloudBroker.stop();
        cloudBroker.restart(); // a broker without persistence: sessions and subscriptions are gone
        cloud = new MqttProbe(cloudBroker.url());
        cloud.subscribe("lorawan/" + GW + "/connected", "lorawan/" + GW + "/init");
        toCloud.refuse(false);
        lns.subscribe("lora/+/down");

        assertNotNull(cloud.next("lorawan/" + GW + "/connected", 10), "connected after the reconnect");
        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-07\",\"data\":\"AQ==\"}");
        assertNotNull(lns.next("lora/00-80-00-ff-ff-00-00-07/down", 5), "down subscription came back");
        assertNull(cloud.next("lorawan/" + GW + "/init", 1.0), "init is not repeated on reconnect");
    }

    @Test
    void lnsBrokerRestartBringsBackTheUplinkSubscriptions() {
        lns.close();
        lnsBroker.stop();
        lnsBroker.restart();
        awaitConnected("lns");
        lns = new MqttProbe(lnsBroker.url());
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        uplinksUntilOneArrives("00-80-00-ff-ff-00-00-08", 5, "an uplink through the subscriptions made again");
    }
}
