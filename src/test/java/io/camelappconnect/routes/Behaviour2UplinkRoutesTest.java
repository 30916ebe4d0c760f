package io.camelappconnect.routes;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttEndpoint;
import io.camelappconnect.operations.Counters;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 2-3, the routes of routes/uplinks.yaml alone: which cloud topic each LNS topic goes to, and how. */
class Behaviour2UplinkRoutesTest extends RouteTestSupport {

    private static final String DEV = "00-80-00-ff-ff-00-00-03";
    private static final String UP = "lorawan/" + GW + "/" + APP + "/" + DEV + "/up";

    @Test
    void anUplinkGoesToItsDevicesTopicAsTheLnsSentIt() throws Exception {
        route("uplink");
        arrives("lora/8B6CF08EEEDF1BB6/0080-00ff-ff00-0003/up", uplink(APP, DEV, 7)); // EUIs in other spellings
        assertEquals(List.of(UP + " " + uplink(APP, DEV, 7)), published("cloud", UP, 1));
    }

    @Test
    void anOlderFirmwaresUplinkTakesItsAppEuiFromTheJson() throws Exception {
        route("uplink");
        arrives("lora/" + DEV + "/up", uplink(APP, DEV, 8));
        assertEquals(List.of(UP + " " + uplink(APP, DEV, 8)), published("cloud", UP, 1));
    }

    @Test
    void aJoinGetsTheDeviceEuiAndTheTime() throws Exception {
        route("joined-to-cloud");
        arrives("lora/" + DEV + "/joined", "{\"appeui\":\"" + APP + "\",\"joinnonce\":1}");
        String[] topicAndBody = published("cloud", "lorawan/" + GW + "/" + APP, 1).get(0).split(" ", 2);
        assertEquals("lorawan/" + GW + "/" + APP + "/" + DEV + "/joined", topicAndBody[0]);
        JsonNode json = Json.MAPPER.readTree(topicAndBody[1]);
        assertEquals(DEV, json.get("deveui").asText());
        assertEquals(1, json.get("joinnonce").asInt());
        assertTrue(json.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), json.toString());
    }

    @Test
    void aMoveGoesOnAsItCame() throws Exception {
        route("moved-to-cloud");
        arrives("lora/" + APP + "/" + DEV + "/moved", "[\"00-80-00-00-d0-00-01-1a\"]");
        assertEquals(List.of("lorawan/" + GW + "/" + APP + "/" + DEV + "/moved [\"00-80-00-00-d0-00-01-1a\"]"),
                published("cloud", "lorawan/" + GW + "/" + APP, 1));
    }

    @Test
    void aTopicThatLacksALevelIsBadInput() throws Exception {
        route("uplink");
        MqttEndpoint endpoint = context.getEndpoint("cloud:sites/${header.site}/up", MqttEndpoint.class);
        Exchange withSite = new DefaultExchange(context);
        withSite.getMessage().setHeader("site", "north");
        assertEquals("sites/north/up", endpoint.topic(withSite));
        BadMessage e = assertThrows(BadMessage.class, () -> endpoint.topic(new DefaultExchange(context)));
        assertTrue(e.getMessage().contains("'sites//up': a level is missing"), e.getMessage());
    }

    @Test
    void badInputCostsAWarnAndTheNextUplinkGoesOn() throws Exception {
        route("uplink");
        arrives("lora/" + APP + "/" + DEV + "/up", "not json");
        arrives("lora/" + APP + "/not-an-eui/up", uplink(APP, DEV, 1));
        arrives("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 2));
        assertEquals(List.of(UP + " " + uplink(APP, DEV, 2)), published("cloud", UP, 1));
        Counters counters = context.getRegistry().lookupByNameAndType("counters", Counters.class);
        assertEquals(2, counters.badInputCount(), "each refused one counted");
        assertEquals(1, counters.forwardedCount("up"));
    }
}
