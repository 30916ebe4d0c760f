package io.camelappconnect.routes;

import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/filters.md, the routes of routes/uplinks.yaml alone: a device app.eui or app.filter.* keep out reaches no
 * cloud topic and costs no bad-input count; the next device goes on, its uplink's fields filtered.
 */
@Tag("route")
class FilteredDevicesRoutesTest extends RouteTestSupport {

    private static final String ALLOWED = "00-80-00-ff-ff-00-00-03";
    private static final String DENIED = "00-80-00-ff-ff-00-00-04";
    private static final String OTHER_APP = "11-11-11-11-11-11-11-11";
    private static final String CLOUD = "lorawan/" + GW + "/";

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.eui", APP);
        p.setProperty("app.filter.deveui.allow", "00-80-00-ff-ff-00-00-xx");
        p.setProperty("app.filter.deveui.deny", DENIED);
        p.setProperty("app.filter.fields.exclude", "rssi, lsnr");
    }

    @Test
    void anUplinkOfADeviceKeptOutGoesNowhereAndTheNextGoesOnFiltered() throws Exception {
        route("uplink");
        arrives("lora/" + APP + "/" + DENIED + "/up", uplink(APP, DENIED, 1));
        arrives("lora/" + OTHER_APP + "/" + ALLOWED + "/up", uplink(OTHER_APP, ALLOWED, 2)); // outside app.eui
        arrives("lora/" + APP + "/" + ALLOWED + "/up", uplink(APP, ALLOWED, 3));
        List<String> published = devices();
        assertEquals(1, published.size(), published.toString());
        String[] topicAndBody = published.get(0).split(" ", 2);
        assertEquals(CLOUD + APP + "/" + ALLOWED + "/up", topicAndBody[0]);
        JsonNode json = Json.MAPPER.readTree(topicAndBody[1]);
        assertEquals(3, json.get("fcnt").asInt());
        assertFalse(json.has("rssi") || json.has("lsnr"), json.toString());
        assertTrue(json.has("rssis") && json.has("data"), json.toString());
        assertEquals(0, badInput(), "configuration, not bad input");
    }

    @Test
    void aJoinOfADeviceKeptOutGoesNowhere() throws Exception {
        route("joined-to-cloud");
        arrives("lora/" + DENIED + "/joined", "{\"appeui\":\"" + APP + "\"}");
        arrives("lora/" + ALLOWED + "/joined", "{\"appeui\":\"" + APP + "\"}");
        assertEquals(List.of(CLOUD + APP + "/" + ALLOWED + "/joined"),
                devices().stream().map(line -> line.split(" ", 2)[0]).toList());
    }

    @Test
    void aMoveOfADeviceKeptOutGoesNowhere() throws Exception {
        route("moved-to-cloud");
        arrives("lora/" + APP + "/" + DENIED + "/moved", "[]");
        arrives("lora/" + APP + "/" + ALLOWED + "/moved", "[]");
        assertEquals(List.of(CLOUD + APP + "/" + ALLOWED + "/moved []"), devices());
    }

    /** What went to the cloud's device topics (the sends are synchronous: all of it is there), the init left aside. */
    private List<String> devices() {
        return published("cloud", CLOUD, 1).stream().filter(line -> !line.startsWith(CLOUD + "init ")).toList();
    }

    private long badInput() {
        return context.getRegistry().lookupByNameAndType("counters", io.camelappconnect.operations.Counters.class)
                .badInputCount();
    }
}
