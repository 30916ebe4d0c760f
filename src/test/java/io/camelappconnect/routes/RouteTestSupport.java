package io.camelappconnect.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttEndpoint;
import io.camelappconnect.support.AppAsConfigured;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Tag;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;

/**
 * The routes of {@code routes/} as the app runs them (config/application.properties, AppConfiguration), with no
 * broker: a test replaces a route's {@code lns:} or {@code cloud:} consumer with {@code direct:in}, and what the
 * routes publish goes to mock endpoints instead of a broker (its error answers included). The connections point at
 * a port nothing listens on and never connect.
 */
@Tag("route")
public abstract class RouteTestSupport extends AppAsConfigured {

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @Override
    protected void settings(Properties p) {
        p.setProperty("app.url", "tcp://127.0.0.1:1");
        p.setProperty("lns.url", "tcp://127.0.0.1:1");
        p.setProperty("mqtt.reconnect.initialDelay", "600000");
        p.setProperty("mqtt.reconnect.maxDelay", "600000");
        p.setProperty("gateway.uuid", GW);
        p.setProperty("gateway.serial", "18581234");
        p.setProperty("gateway.euis", "00-80-00-00-d0-00-01-1a");
        try {
            p.setProperty("store.dir", Files.createTempDirectory("store").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties(p);
    }

    /** A test class's own settings. */
    protected void properties(Properties p) {
    }

    /** Every publish to a connection goes to a mock endpoint instead, mock:cloud:<its uri> (mock:lns:...). */
    @Override
    public String isMockEndpointsAndSkip() {
        return "(cloud|lns):.*";
    }

    /** Route {@code routeId} from {@code direct:in}; then the context starts. */
    protected void route(String routeId) throws Exception {
        AdviceWith.adviceWith(context, routeId, a -> a.replaceFromWith("direct:in"));
        context.start();
    }

    /** A message as the connection hands it to a route. */
    protected void arrives(String topic, String payload) {
        arrives(topic, payload, false);
    }

    protected void arrives(String topic, String payload, boolean retained) {
        template.sendBodyAndHeaders("direct:in", payload.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Map.of(MqttComponent.TOPIC, topic, MqttComponent.RETAINED, retained));
    }

    /**
     * "topic text" of each message published to {@code connection} on a topic starting with {@code topic}, once
     * there are {@code count}: the topic is the endpoint's, filled in for the message as its producer would.
     */
    protected List<String> published(String connection, String topic, int count) {
        return await().alias(count + " published on " + connection + ":" + topic + "...").atMost(Duration.ofSeconds(5))
                .until(() -> context.getEndpoints().stream()
                        .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().startsWith("mock://" + connection + ":"))
                        .flatMap(mock -> ((MockEndpoint) mock).getReceivedExchanges().stream().map(e -> {
                            MqttEndpoint endpoint = context.getEndpoint(
                                    mock.getEndpointUri().substring("mock://".length()), MqttEndpoint.class);
                            return endpoint.topic(e) + " " + e.getMessage().getBody(String.class);
                        }))
                        .filter(line -> line.startsWith(topic))
                        .toList(), list -> list.size() >= count);
    }
}
