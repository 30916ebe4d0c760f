package io.camelappconnect.routes;

import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 2-4, the routes of routes/downlinks.yaml alone: a command to its device's LNS topic. */
class Behaviour3DownlinkRoutesTest extends RouteTestSupport {

    private static final String DEV = "00-80-00-ff-ff-00-00-01";

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.encodeHex", "true");
    }

    @Test
    void aDownlinkGoesToItsDevicesLnsTopicWithItsDataAsBase64() throws Exception {
        route("down-to-lns");
        arrives("lorawan/" + GW + "/down", "{\"deveui\":\"0080-00FF-FF00-0001\",\"data\":\"40\",\"port\":1,\"confirmed\":true}");
        assertEquals(List.of("lora/" + DEV + "/down {\"deveui\":\"" + DEV + "\",\"data\":\"QA==\",\"port\":1,\"confirmed\":true}"),
                published("lns", "lora/", 1));
    }

    @Test
    void aClearGoesToItsDevicesClearTopicEmpty() throws Exception {
        route("clear-to-lns");
        arrives("lorawan/" + GW + "/clear", "{\"deveui\":\"" + DEV + "\"}");
        assertEquals(List.of("lora/" + DEV + "/clear "), published("lns", "lora/", 1));
    }

    @Test
    void anEmptyCommandAndABadOneGoNowhereAndTheNextGoesOn() throws Exception {
        route("down-to-lns");
        arrives("lorawan/" + GW + "/down", ""); // a cleared retained command
        arrives("lorawan/" + GW + "/down", "{\"data\":\"40\"}"); // no deveui
        arrives("lorawan/" + GW + "/down", "{\"deveui\":\"" + DEV + "\",\"data\":\"not hex\"}");
        arrives("lorawan/" + GW + "/down", "{\"deveui\":\"" + DEV + "\",\"data\":\"41\"}");
        List<String> sent = published("lns", "lora/", 1);
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).contains("\"data\":\"QQ==\""), sent.toString());
    }
}
