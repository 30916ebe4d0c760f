package io.camelappconnect.routes;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3, routes/downlinks.yaml's retained-command on the cloud connection (retained-command-cloud), the first
 * hop of every command and request: a stale (retained) one is cleared on its topic and comes back to its route as it
 * was; our clearing's echo stops there; a command that came live passes untouched and clears nothing.
 */
class Behaviour3RetainedCommandRoutesTest extends RouteTestSupport {

    private static final String DOWN = "lorawan/" + GW + "/down";
    private static final String COMMAND = "{\"deveui\":\"00-80-00-ff-ff-00-00-01\",\"data\":\"QA==\"}";

    @Test
    void aStaleCommandIsClearedOnItsTopicAndHandedBackAsItCame() throws Exception {
        route("retained-command-cloud");
        Exchange back = hop(COMMAND, true);
        assertEquals(COMMAND, back.getMessage().getBody(String.class));
        assertEquals(List.of(DOWN + " "), published("cloud", DOWN, 1), "an empty message to the command's topic");
    }

    @Test
    void theClearingsEchoStopsAndALiveCommandPassesWithoutAClearing() throws Exception {
        route("retained-command-cloud");
        hop(COMMAND, true);
        published("cloud", DOWN, 1);
        Exchange echo = hop("", false);
        assertEquals("echo", echo.getProperty("retainedCommand"));
        assertTrue(echo.isRouteStop(), "the echo goes no further");
        Exchange live = hop(COMMAND, false);
        assertNull(live.getProperty("retainedCommand"));
        assertTrue(!live.isRouteStop(), "a live command goes on");
        assertEquals(COMMAND, live.getMessage().getBody(String.class));
        assertEquals(1, published("cloud", DOWN, 1).size(), "one clearing only: " + published("cloud", DOWN, 1));
    }

    /** The exchange the hop leaves for the route that called it. */
    private Exchange hop(String payload, boolean retained) {
        return template.request("direct:in", e -> {
            e.getMessage().setBody(payload.getBytes(StandardCharsets.UTF_8));
            e.getMessage().setHeader(MqttComponent.TOPIC, DOWN);
            e.getMessage().setHeader(MqttComponent.RETAINED, retained);
        });
    }
}
