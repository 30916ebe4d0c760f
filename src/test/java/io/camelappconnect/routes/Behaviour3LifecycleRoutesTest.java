package io.camelappconnect.routes;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttEndpoint;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3, routes/lifecycle.yaml: the gateway's own messages under lorawan/<GW-UUID>: init (retained, its
 * EUIs and versions) once at start, an empty connected after each connect (API 1.1.1), an empty retained close on a
 * graceful stop. Each route is run from direct:in instead of its scheduler or the connection's callback.
 */
class Behaviour3LifecycleRoutesTest extends RouteTestSupport {

    private static final String TOPIC = "lorawan/" + GW + "/";

    @Test
    void initIsPublishedRetainedWithTheGatewaysEuisAndTheApiVersion() throws Exception {
        route("init");
        template.sendBody("direct:in", "");
        String published = published("cloud", TOPIC + "init", 1).get(0);
        JsonNode init = Json.MAPPER.readTree(published.substring(published.indexOf(' ') + 1));
        assertEquals("[\"00-80-00-00-d0-00-01-1a\"]", init.get("gateways_euis").toString(), init.toString());
        assertEquals("1.1.1", init.get("api_version").asText(), init.toString());
        assertTrue(init.hasNonNull("time") && init.hasNonNull("app_version"), init.toString());
        assertTrue(endpoint("init").isRetained(), "init is retained");
    }

    @Test
    void connectedIsAnEmptyMessageNotRetained() throws Exception {
        route("connected");
        template.sendBody("direct:in", "anything");
        assertEquals(List.of(TOPIC + "connected "), published("cloud", TOPIC + "connected", 1));
        assertTrue(!endpoint("connected").isRetained(), "connected is not retained");
    }

    @Test
    void closeIsAnEmptyRetainedMessage() throws Exception {
        route("close");
        template.sendBody("direct:in", "anything");
        assertEquals(List.of(TOPIC + "close "), published("cloud", TOPIC + "close", 1));
        assertTrue(endpoint("close").isRetained(), "close is retained");
    }

    /** The connection's endpoint for lorawan/<GW-UUID>/{@code message} (the mock's URI leaves out its options). */
    private MqttEndpoint endpoint(String message) {
        return context.getEndpoints().stream()
                .filter(e -> e instanceof MqttEndpoint && e.getEndpointUri().startsWith("cloud://" + TOPIC + message))
                .map(MqttEndpoint.class::cast).findFirst().orElseThrow(() -> new AssertionError(context.getEndpoints()));
    }
}
