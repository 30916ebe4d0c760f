package io.camelappconnect;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe.Received;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Bad input from either side costs one WARN naming the topic and the reason, nothing is sent on, no route stops,
 * no connection drops, and the next good message flows.
 */
class BadInputTest extends BridgeTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.backhaulDetect.enabled", "true"); // every route running, backhaul-detect included
    }


    private static final String DEV = "00-80-00-ff-ff-00-00-51";
    private static final String DOWN = "lorawan/" + GW + "/down";
    private static final String CLEAR = "lorawan/" + GW + "/clear";

    /** topic, payload, words the WARN must contain */
    private static final List<String[]> FROM_LNS = List.of(
            new String[] {"lora/" + APP + "/" + DEV + "/up", "garbage", "not a JSON object"},
            new String[] {"lora/" + APP + "/" + DEV + "/up", "", "not a JSON object"},
            new String[] {"lora/" + APP + "/" + DEV + "/up", "[1,2]", "not a JSON object"},
            new String[] {"lora/" + APP + "/" + DEV + "/up", "{\"fcnt\":1", "not a JSON object"},
            new String[] {"lora/" + APP + "/" + DEV + "/up", "\u0001binary\u0002", "starts with byte 0x01"},
            new String[] {"lora/" + APP + "/zz/up", "{}", "'zz' is not an EUI"},
            new String[] {"lora/not-an-app/" + DEV + "/up", "{}", "'not-an-app' is not an EUI"},
            new String[] {"lora/" + DEV + "/up", "{\"fcnt\":1}", "must carry 'appeui'"},
            new String[] {"lora/" + DEV + "/up", "{\"appeui\":7}", "'appeui' must be a string"},
            new String[] {"lora/" + DEV + "/joined", "not json", "not JSON"},
            new String[] {"lora/" + DEV + "/joined", "{\"gweui\":\"00-80-00-00-d0-00-01-ff\"}", "must carry 'appeui'"},
            new String[] {"lora/" + APP + "/" + DEV + "/moved", "{{", "not JSON"});

    private static final List<String[]> FROM_CLOUD = List.of(
            new String[] {DOWN, "garbage", "not JSON"},
            new String[] {DOWN, "\"a string\"", "not a JSON object"},
            new String[] {DOWN, "{\"data\":\"QA==\"}", "'deveui' missing"},
            new String[] {DOWN, "{\"deveui\":12345,\"data\":\"QA==\"}", "'deveui' must be a string"},
            new String[] {DOWN, "{\"deveui\":\"00-80\",\"data\":\"QA==\"}", "not an EUI"},
            new String[] {DOWN, "{\"deveui\":\"" + DEV + "\",\"data\":\"%%%\"}", DEV + " refused: 'data' is not base64"},
            new String[] {DOWN, "{\"deveui\":\"" + DEV + "\",\"data\":42}", "'data' must be a string"},
            new String[] {DOWN, "{\"deveui\":\"" + DEV + "\";rm -rf /}", "not JSON"},
            new String[] {CLEAR, "{}", "'deveui' missing"},
            new String[] {CLEAR, "{\"deveui\":[]}", "'deveui' must be a string"});

    @Test
    void aShowerOfBadInputCostsAWarningEachAndNothingElse() {
        long connectsBefore = bridgeConnects();
        cloud.subscribe("lorawan/" + GW + "/+/" + DEV + "/+");
        lns.subscribe("lora/+/down", "lora/+/clear");

        for (String[] bad : FROM_LNS) {
            lns.publish(bad[0], bad[1]);
        }
        for (String[] bad : FROM_CLOUD) {
            cloud.publish(bad[0], bad[1]);
        }
        cloud.publish(DOWN, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}, false); // not UTF-8

        for (String[] bad : concat(FROM_LNS, FROM_CLOUD)) {
            assertNotNull(log.await(5, "WARN " + bad[0] + ": ", bad[2]), "a WARN for " + bad[0] + " " + bad[1]);
        }
        assertNotNull(log.await(5, "WARN " + DOWN + ": ", "not JSON"), "a WARN for bytes that are not UTF-8");
        assertNull(cloud.next(0.5), "nothing garbled reached the cloud");
        assertNull(lns.next(0.1), "nothing garbled reached the LNS");

        lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 7));
        cloud.publish(DOWN, "{\"deveui\":\"" + DEV + "\",\"data\":\"QA==\"}");
        Received up = cloud.next(5);
        Received down = lns.next(5);
        assertNotNull(up, "the next good uplink flows");
        assertEquals(uplink(APP, DEV, 7), new String(up.payload(), StandardCharsets.UTF_8));
        assertNotNull(down, "the next good downlink flows");
        context.getRoutes().forEach(r ->
                assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus(r.getRouteId()), r.getRouteId()));
        assertEquals(connectsBefore, bridgeConnects(), "no connection dropped");
    }

    /** The bridge's CONNECTs to either broker (the broker records them as they are handled: the probes' come late). */
    private static long bridgeConnects() {
        return Stream.concat(embedded(cloudBroker).connects().stream(), embedded(lnsBroker).connects().stream())
                .filter(c -> !c.getClientID().startsWith("probe-")).count();
    }

    private static List<String[]> concat(List<String[]> a, List<String[]> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
