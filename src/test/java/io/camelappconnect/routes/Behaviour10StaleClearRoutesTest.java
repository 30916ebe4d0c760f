package io.camelappconnect.routes;

import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 10 with 3, routes/downlinks-api10.yaml's app-clear with retained-command: with API 1.0 an empty
 * message on lorawan/X/<DEV>/clear is a clear, but not the empty message our own clearing of a stale retained clear
 * brings back.
 */
@Tag("route")
@Timeout(60)
class Behaviour10StaleClearRoutesTest extends RouteTestSupport {

    private static final String DEV = "00-80-00-ff-ff-00-00-31";
    private static final String CLEAR = "lorawan/" + APP + "/" + DEV + "/clear";

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("app.eui", APP);
    }

    @Test
    void aStaleClearIsDoneOnceAndClearedButAnEmptyClearOfSomeoneElsesIsAClear() throws Exception {
        route("app-clear-cloud");
        arrives(CLEAR, "{}", true);
        arrives(CLEAR, ""); // our clearing's echo: nothing to do
        arrives(CLEAR, ""); // an empty clear: a clear, as MultiTech's program takes it

        assertEquals(List.of(CLEAR + " "), published("cloud", CLEAR, 1), "the stale clear cleared on its topic");
        List<String> clears = published("lns", "lora/", 2);
        assertEquals(List.of("lora/" + DEV + "/clear ", "lora/" + DEV + "/clear "), clears);
    }
}
