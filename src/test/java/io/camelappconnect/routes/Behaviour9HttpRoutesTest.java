package io.camelappconnect.routes;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.camelappconnect.http.ServerComponent;
import io.camelappconnect.http.ServerEndpoint;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * routes/http-*.yaml without a server or broker (behaviour.md 9): what goes to server: and the path it is queued for,
 * and what an answer's downlinks become on lns:. The web server's camel-http endpoint is a mock that answers.
 */
class Behaviour9HttpRoutesTest extends RouteTestSupport {

    private static final String DEV = "00-80-00-00-04-00-05-5a";

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.url", "http://127.0.0.1:1/iot");
        p.setProperty("http.retry.initialDelay", "600000");
        p.setProperty("http.retry.maxDelay", "600000");
    }

    @Override
    public String isMockEndpointsAndSkip() {
        return "(server|lns|http):.*";
    }

    @Test
    void anUplinkIsQueuedForItsDevicesPathAndAJoinForItsJoinedPath() throws Exception {
        AdviceWith.adviceWith(context, "joined-to-server", a -> a.replaceFromWith("direct:joined"));
        route("server-uplink");

        arrives("lora/" + APP + "/" + DEV + "/up", "{\"appeui\":\"" + APP + "\",\"fcnt\":1}");
        template.sendBodyAndHeaders("direct:joined", ("{\"appeui\":\"" + APP + "\"}").getBytes(StandardCharsets.UTF_8),
                Map.of(MqttComponent.TOPIC, "lora/" + DEV + "/joined"));

        List<String> queued = queued(2).stream().sorted().toList();
        assertEquals("api/v1/lorawan/" + APP + "/" + DEV + "/joined", queued.get(0).split(" ")[0]);
        assertEquals("api/v1/lorawan/" + APP + "/" + DEV + "/up {\"appeui\":\"" + APP + "\",\"fcnt\":1}", queued.get(1));
    }

    @Test
    void theDownlinksInAPostsAnswerGoToTheLnsAndInitsAnswerHoldsNone() throws Exception {
        route("server-posts-server");
        MockEndpoint server = context.getEndpoints().stream().filter(e -> e.getEndpointUri().startsWith("mock://http:"))
                .map(MockEndpoint.class::cast).findFirst().orElseThrow();
        server.whenAnyExchangeReceived(e -> e.getMessage().setBody(
                e.getMessage().getHeader(ServerComponent.PATH, String.class).endsWith("/init") ? "{\"timeout\":9}"
                        : "[{\"deveui\":\"008000000400055A\",\"data\":\"AQ==\",\"port\":2},{\"deveui\":\"" + DEV
                        + "\",\"data\":\"Ag==\"}]"));

        template.sendBodyAndHeader("direct:in", "{}", ServerComponent.PATH, "api/v1/lorawan/ff-ff-ff-ff-ff-ff-ff-ff/x/init");
        template.sendBodyAndHeader("direct:in", "{\"fcnt\":1}", ServerComponent.PATH, "api/v1/lorawan/" + APP + "/" + DEV + "/up");

        List<String> down = published("lns", "lora/", 2);
        assertEquals(List.of("lora/" + DEV + "/down", "lora/" + DEV + "/down"), down.stream().map(d -> d.split(" ")[0]).toList());
        assertEquals(2, server.getReceivedExchanges().stream()
                .filter(e -> !e.getMessage().getHeader(ServerComponent.PATH, String.class).endsWith("/down")).count(),
                "init and the uplink posted (besides the polls init's answer starts)");
    }

    /** "path body" of each message queued for the server, once there are {@code count}. */
    private List<String> queued(int count) {
        return await().atMost(Duration.ofSeconds(5)).until(() -> context.getEndpoints().stream()
                .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().startsWith("mock://server:"))
                .flatMap(mock -> ((MockEndpoint) mock).getReceivedExchanges().stream().map(e -> context.getEndpoint(
                        mock.getEndpointUri().substring("mock://".length()), ServerEndpoint.class).path(e) + " "
                        + e.getMessage().getBody(String.class)))
                .toList(), list -> list.size() >= count);
    }

    /** server-poll: serverPoll decides whether a poll is due (property downlinkPollDue), the route asks only then. */
    @Test
    void noPollGoesBeforeInitIsAnswered() throws Exception {
        route("server-poll-server");
        for (int tick = 0; tick < 3; tick++) {
            template.sendBody("direct:in", "");
        }
        long gets = context.getEndpoints().stream()
                .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().startsWith("mock://http"))
                .mapToLong(e -> ((MockEndpoint) e).getReceivedCounter()).sum();
        assertEquals(0, gets, "no GET before init's answer");
    }
}
