package io.camelappconnect;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
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
    void anMqttUrlRunsTheMqttRoutesAndNoneOfHttpMode() {
        assertNotNull(context.getRoute("uplink"));
        assertNotNull(context.getRoute("down-to-lns"));
        for (String httpRoute : new String[] {"server-posts-server", "server-uplink", "server-poll-server", "server-init-server"}) {
            assertNull(context.getRoute(httpRoute), httpRoute + ": HTTP mode's, not for a broker");
        }
        assertNull(context.hasComponent("server"), "no web server");
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

}
