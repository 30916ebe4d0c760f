package io.camelappconnect;

import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import io.moquette.interception.messages.InterceptConnectMessage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** behaviour.md 10: app.apiVersion 1.0, each row of its topic table, with the AppEUI filter set (APP). */
class Behaviour10Api10Test extends BridgeTestSupport {

    private static final String GW_TOPIC = "lorawan/" + APP + "/" + GW;
    private static final String EUI1 = "00-80-00-00-d0-00-01-1a";
    private static final String EUI2 = "00-80-00-00-d0-00-01-ff";
    private static final String DEV = "00-80-00-ff-ff-00-00-10";

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("app.eui", APP);
    }

    @Test
    void theConnectionTheWillAndTheSubscriptionsAreUnderTheAppEui() {
        String clientId = GW_TOPIC;
        InterceptConnectMessage first = embedded(cloudBroker).connects().stream()
                .filter(c -> c.getClientID().equals(clientId)).findFirst().orElseThrow();
        assertEquals(GW_TOPIC + "/disconnected", first.getWillTopic());
        List<String> subscribed = embedded(cloudBroker).subscriptions().stream()
                .filter(s -> s.startsWith(clientId + " ")).map(s -> s.substring(clientId.length() + 1))
                .distinct().sorted().toList();
        assertEquals(List.of(GW_TOPIC + "/api_req", GW_TOPIC + "/log_req", GW_TOPIC + "/lora_req",
                "lorawan/" + EUI1 + "/+/clear", "lorawan/" + EUI1 + "/+/down",
                "lorawan/" + EUI2 + "/+/clear", "lorawan/" + EUI2 + "/+/down",
                "lorawan/" + GW + "/+/clear", "lorawan/" + GW + "/+/down",
                "lorawan/" + APP + "/+/clear", "lorawan/" + APP + "/+/down").stream().sorted().toList(), subscribed);
        assertNull(context.getRoute("uplink"), "1.1's routes don't run");
        assertNull(context.getRoute("down-to-lns"));
    }

    @Test
    void initAndCloseGoUnderTheAppEuiAndThereIsNoConnected() throws Exception {
        Received init = MqttProbe.retained(cloudBroker.url(), GW_TOPIC + "/init");
        assertNotNull(init, "init stays retained");
        JsonNode json = Json.MAPPER.readTree(init.payload());
        assertEquals("1.0", json.get("api_version").asText());
        assertEquals("[\"" + EUI1 + "\",\"" + EUI2 + "\"]", json.get("gateways_euis").toString());
        assertFalse(context.getRouteController().getRouteStatus("connected").isStarted(), "no connected in 1.0");

        cloud.subscribe(GW_TOPIC + "/close", "lorawan/+/+/connected", "lorawan/+/connected");
        context.stop();
        Received close = cloud.next(3);
        assertNotNull(close, "close on stop");
        assertEquals(GW_TOPIC + "/close", close.topic());
        assertNull(cloud.next(0.5), "nothing else, no connected");
    }

    @Test
    void anUplinkGoesToItsAppsTopicAndOtherAppsAreFilteredOut() {
        cloud.subscribe("lorawan/#");
        String other = "11-22-33-44-55-66-77-88";
        lns.publish("lora/" + other + "/" + DEV + "/up", uplink(other, DEV, 1));
        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 2));

        Received up = cloud.next("lorawan/" + APP + "/" + DEV + "/up", 5);
        assertNotNull(up);
        assertEquals(uplink(APP, DEV, 2), up.text(), "byte for byte");
        assertNull(cloud.next(0.5), "the other app's device is not forwarded");
    }

    @Test
    void aJoinGoesToTheAppAndToTheGateway() throws Exception {
        cloud.subscribe("lorawan/+/" + DEV + "/joined");
        lns.publish("lora/" + DEV + "/joined", "{\"joineui\":\"" + APP + "\",\"appeui\":\"" + APP
                + "\",\"gweui\":\"" + EUI2 + "\",\"remote\":false}");

        Received toApp = cloud.next("lorawan/" + APP + "/" + DEV + "/joined", 5);
        Received toGateway = cloud.next("lorawan/" + GW + "/" + DEV + "/joined", 5);
        assertNotNull(toApp);
        assertNotNull(toGateway);
        assertArrayEquals(toApp.payload(), toGateway.payload());
        JsonNode join = Json.MAPPER.readTree(toApp.payload());
        assertEquals(DEV, join.get("deveui").asText());
        assertNotNull(join.get("time"));
    }

    @Test
    void movedCarriesTheGatewayList() {
        cloud.subscribe("lorawan/+/" + DEV + "/moved");
        String gateways = "[\"" + EUI1 + "\"]";
        lns.publish("lora/" + APP + "/" + DEV + "/moved", gateways);

        Received moved = cloud.next("lorawan/" + APP + "/" + DEV + "/moved", 5);
        assertNotNull(moved);
        assertEquals(gateways, moved.text());
    }

    @Test
    void downlinksAndClearsAddressedToTheAppTheGatewayOrARadioReachTheDevice() throws Exception {
        lns.subscribe("lora/+/down", "lora/+/clear");
        String[] owners = {APP, GW, EUI1, EUI2};
        for (int i = 0; i < owners.length; i++) {
            String dev = "00-80-00-ff-ff-00-00-2" + i;
            cloud.publish("lorawan/" + owners[i] + "/" + dev + "/down", "{\"data\":\"QA==\",\"port\":" + (i + 1) + "}");
            Received down = lns.next("lora/" + dev + "/down", 5);
            assertNotNull(down, "a downlink addressed to " + owners[i]);
            JsonNode json = Json.MAPPER.readTree(down.payload());
            assertEquals(dev, json.get("deveui").asText());
            assertEquals(i + 1, json.get("port").asInt());

            cloud.publish("lorawan/" + owners[i] + "/" + dev + "/clear", i % 2 == 0 ? "" : "{}"); // the device is the topic's
            Received clear = lns.next("lora/" + dev + "/clear", 5);
            assertNotNull(clear, "a clear addressed to " + owners[i]);
        }

        String dev = "00-80-00-ff-ff-00-00-30";
        cloud.publish(GW_TOPIC + "/down", "{\"deveui\":\"" + dev.toUpperCase().replace("-", "") + "\",\"data\":\"QA==\"}");
        Received down = lns.next("lora/" + dev + "/down", 5);
        assertNotNull(down, "lorawan/<APP>/<GW-UUID>/down names the device in the JSON");
        assertNull(lns.next(0.5), "nothing else reached the LNS");
    }

    @Test
    void aTopicNamingNoDeviceIsAWarnNamingItAndTheNextCommandGoes() {
        lns.subscribe("lora/+/down");
        cloud.publish("lorawan/" + APP + "/not-a-device/down", "{\"data\":\"QA==\"}");
        cloud.publish("lorawan/" + APP + "/" + DEV + "/down", "{\"data\":\"QA==\"}");

        assertNotNull(lns.next("lora/" + DEV + "/down", 5), "the next downlink went");
        assertNotNull(log.await(5, "lorawan/" + APP + "/not-a-device/down", "not-a-device"), "a WARN naming the topic");
    }

    @Test
    void requestsAreAnsweredUnderTheAppEui() throws Exception {
        cloud.subscribe(GW_TOPIC + "/lora_res");
        cloud.publish(GW_TOPIC + "/lora_req", "{\"command\":\"device count\",\"rid\":7}");

        Received answer = cloud.next(GW_TOPIC + "/lora_res", 5);
        assertNotNull(answer);
        JsonNode json = Json.MAPPER.readTree(answer.payload());
        assertEquals(7, json.get("rid").asInt());
        assertEquals("lora requests are disabled", json.get("error").asText());
    }
}
