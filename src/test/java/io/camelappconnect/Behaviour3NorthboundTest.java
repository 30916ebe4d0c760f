package io.camelappconnect;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import io.moquette.interception.messages.InterceptConnectMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 3: the one cloud connection, its lifecycle messages and its subscriptions. */
class Behaviour3NorthboundTest extends BridgeTestSupport {

    private static final String CLIENT_ID = "lorawan/ff-ff-ff-ff-ff-ff-ff-ff/" + GW;

    @Test
    void oneConnectionWithTheReferenceClientIdAPersistentSessionAndTheWillFromTheFirstConnect() {
        List<InterceptConnectMessage> mine = embedded(cloudBroker).connects().stream()
                .filter(c -> c.getClientID().equals(CLIENT_ID)).toList();
        InterceptConnectMessage first = mine.get(0);
        assertFalse(first.isCleanSession());
        assertEquals(60, first.getKeepAlive());
        assertEquals(4, first.getProtocolVersion(), "MQTT 3.1.1");
        assertTrue(first.isWillFlag());
        assertEquals("lorawan/" + GW + "/disconnected", first.getWillTopic());
        assertEquals(1, first.getWillQos());
        assertFalse(first.isWillRetain());
        assertEquals(0, first.getWillMessage().length);
        // each test starts a bridge; each made exactly one cloud connection
        assertEquals(embedded(cloudBroker).connects().stream().filter(c -> c.getClientID().startsWith("lorawan/")).count(),
                mine.size());
    }

    @Test
    void subscriptionsAreExactlyTheCommandTopicsNeverAWildcard() {
        List<String> subscribed = embedded(cloudBroker).subscriptions().stream()
                .filter(s -> s.startsWith(CLIENT_ID + " ")).map(s -> s.substring(CLIENT_ID.length() + 1))
                .distinct().sorted().toList();
        assertEquals(List.of("lorawan/" + GW + "/api_req", "lorawan/" + GW + "/clear", "lorawan/" + GW + "/down",
                "lorawan/" + GW + "/log_req", "lorawan/" + GW + "/lora_req"), subscribed);
        List<String> lnsSubscribed = embedded(lnsBroker).subscriptions().stream().map(s -> s.substring(s.indexOf(' ') + 1))
                .distinct().sorted().toList();
        assertEquals(List.of("lora/+/+/moved", "lora/+/+/up", "lora/+/joined", "lora/+/up"), lnsSubscribed);
    }

    @Test
    void initIsRetainedWithTheGatewayEuisAndVersions() throws Exception {
        Received init = MqttProbe.retained(cloudBroker.url(), "lorawan/" + GW + "/init");
        assertNotNull(init);
        JsonNode json = Json.MAPPER.readTree(init.payload());
        assertEquals("[\"00-80-00-00-d0-00-01-1a\",\"00-80-00-00-d0-00-01-ff\"]", json.get("gateways_euis").toString());
        assertEquals("1.1.1", json.get("api_version").asText());
        assertTrue(json.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"));
        assertTrue(json.has("app_version"));
    }

    @Test
    void closeOnAGracefulStopAndNoDisconnected() {
        cloud.subscribe("lorawan/" + GW + "/close", "lorawan/" + GW + "/disconnected");

        context.stop();

        Received close = cloud.next(3);
        assertNotNull(close, "close published on stop");
        assertEquals("lorawan/" + GW + "/close", close.topic());
        assertEquals(0, close.payload().length);
        assertEquals(1, close.qos());
        assertNull(cloud.next(1.0), "a clean disconnect fires no will");
    }

    @Test
    void cloudBrokerRestartBringsBackSubscriptionsAndConnectedButNotInit() {
        int connectsBefore = embedded(cloudBroker).connects().size();
        cloud.close();
        cloudBroker.stop();
        cloudBroker.restart(); // a broker without persistence: sessions and subscriptions are gone
        cloud = new MqttProbe(cloudBroker.url());
        cloud.subscribe("lorawan/" + GW + "/connected", "lorawan/" + GW + "/init");
        lns.subscribe("lora/+/down");

        assertNotNull(cloud.next("lorawan/" + GW + "/connected", 10), "connected after the reconnect");
        assertTrue(embedded(cloudBroker).connects().size() > connectsBefore);
        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-07\",\"data\":\"AQ==\"}");
        assertNotNull(lns.next("lora/00-80-00-ff-ff-00-00-07/down", 5), "down subscription came back");
        assertNull(cloud.next("lorawan/" + GW + "/init", 1.0), "init is not repeated on reconnect");
    }

    @Test
    void lnsBrokerRestartBringsBackTheUplinkSubscriptions() {
        lns.close();
        lnsBroker.stop();
        lnsBroker.restart();
        awaitReconnect("lns");
        lns = new MqttProbe(lnsBroker.url());
        cloud.subscribe("lorawan/" + GW + "/+/+/up");

        lns.publish("lora/" + APP + "/00-80-00-ff-ff-00-00-08/up", uplink(APP, "00-80-00-ff-ff-00-00-08", 9));

        assertNotNull(cloud.next("lorawan/" + GW + "/" + APP + "/00-80-00-ff-ff-00-00-08/up", 5));
    }

    private void awaitReconnect(String name) {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!broker(name).isConnected() && System.nanoTime() < end) {
            sleep(20);
        }
        sleep(200); // the connect callback resubscribes right after the CONNACK
    }
}
