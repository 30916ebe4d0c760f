package io.camelappconnect.routes;

import java.util.Properties;

import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 9, routes/http-server.yaml's server-poll: serverPoll decides whether a poll is due (property
 * downlinkPollDue) and the route asks the server only then; before init is answered, and while the server does not
 * take the posts, none goes.
 */
@Tag("route")
@Timeout(60)
class Behaviour9DownlinkPollRoutesTest extends RouteTestSupport {

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
    void noPollGoesBeforeInitIsAnswered() throws Exception {
        route("downlink-poll");
        for (int tick = 0; tick < 3; tick++) {
            template.sendBody("direct:in", "");
        }
        long gets = context.getEndpoints().stream()
                .filter(e -> e instanceof MockEndpoint && e.getEndpointUri().startsWith("mock://http"))
                .mapToLong(e -> ((MockEndpoint) e).getReceivedCounter()).sum();
        assertEquals(0, gets, "no GET before init's answer");
    }
}
