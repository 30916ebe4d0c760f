package io.camelappconnect.routes;

import java.util.List;
import java.util.Map;

import io.camelappconnect.mqtt.MqttEndpoint;
import io.camelappconnect.request.RequestError;
import io.camelappconnect.support.LogCapture;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3 and 5, what the steps decide and what the routes do with it: a command or request that came
 * retained is cleared on its topic by routes/downlinks.yaml's retained-command (an empty retained message) and
 * handled once; the empty message that clearing brings back, and any other empty command or request, goes nowhere;
 * a request kind turned off is refused by the one guard (request-guard); a downlink naming no device is a WARN.
 */
@Tag("route")
@Timeout(60)
class Behaviour3StaleCommandRoutesTest extends RouteTestSupport {

    private static final String DEV = "00-80-00-ff-ff-00-00-01";
    private static final String DOWN = "lorawan/" + GW + "/down";

    @Test
    void aRetainedDownlinkIsClearedOnItsTopicAndSentOnceAndEmptyOnesGoNowhere() throws Exception {
        route("down-to-lns");
        arrives(DOWN, "{\"deveui\":\"" + DEV + "\",\"data\":\"QA==\"}", true);
        arrives(DOWN, ""); // our clearing's echo
        arrives(DOWN, ""); // someone else's empty message: no command either
        arrives(DOWN, "{\"deveui\":\"" + DEV + "\",\"data\":\"QQ==\"}");

        assertEquals(List.of(DOWN + " "), published("cloud", DOWN, 1), "cleared: an empty message to its topic");
        assertTrue(clearing().isRetained(), "the clearing is retained");
        List<String> sent = published("lns", "lora/", 2);
        assertEquals(List.of("lora/" + DEV + "/down {\"deveui\":\"" + DEV + "\",\"data\":\"QA==\"}",
                "lora/" + DEV + "/down {\"deveui\":\"" + DEV + "\",\"data\":\"QQ==\"}"), sent);
        assertEquals(1, published("cloud", DOWN, 1).size(), "the command that did not come retained is not cleared");
    }

    @Test
    void aDownlinkNamingNoDeviceIsNotSentAndIsAWarnNamingItsTopic() throws Exception {
        route("down-to-lns");
        try (LogCapture log = LogCapture.capture()) {
            arrives(DOWN, "{\"data\":\"QA==\"}");
            assertNotNull(log.await(5, DOWN, "'deveui' missing"), log.warnings().toString());
        }
        arrives(DOWN, "{\"deveui\":\"" + DEV + "\",\"data\":\"QQ==\"}");
        List<String> sent = published("lns", "lora/", 1);
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).contains("QQ=="), sent.toString());
    }

    @Test
    void aRetainedRequestIsClearedAndAnsweredOnceAndAnEmptyOneIsNotAnswered() throws Exception {
        route("log-request");
        String req = "lorawan/" + GW + "/log_req";
        arrives(req, "{\"file\":\"messages\",\"rid\":3}", true);
        arrives(req, ""); // the echo
        arrives(req, ""); // no request
        arrives(req, "{\"file\":\"messages\",\"rid\":4}");

        assertEquals(List.of(req + " "), published("cloud", req, 1));
        List<String> answers = published("cloud", "lorawan/" + GW + "/log_res", 2);
        assertEquals(2, answers.size(), answers.toString());
        assertTrue(answers.get(0).endsWith("{\"error\":\"log requests are disabled\",\"status\":\"fail\",\"rid\":3}"),
                answers.toString());
        assertTrue(answers.get(1).contains("\"rid\":4"), answers.toString());
    }

    @Test
    void theGuardRefusesEachKindTurnedOffWhicheverWayTheRequestCame() throws Exception {
        context.start();
        for (String kind : new String[] {"lora", "api", "log"}) {
            CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.requestBodyAndHeaders(
                    "direct:" + kind + "-query", "{\"rid\":1}".getBytes(), Map.of()));
            assertInstanceOf(RequestError.Disabled.class, e.getCause(), kind);
            assertEquals(kind + " requests are disabled", e.getCause().getMessage());
        }
    }

    /** The connection's endpoint the clearings go to (the mock's URI leaves out its options). */
    private MqttEndpoint clearing() {
        return context.getEndpoints().stream()
                .filter(e -> e instanceof MqttEndpoint && e.getEndpointUri().startsWith("cloud://$%7Bheader.CamelMqttTopic%7D?"))
                .map(MqttEndpoint.class::cast).findFirst().orElseThrow(() -> new AssertionError(context.getEndpoints()));
    }
}
