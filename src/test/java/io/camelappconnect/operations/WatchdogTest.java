package io.camelappconnect.operations;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelappconnect.support.LogCapture;
import org.apache.camel.Endpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultComponent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Issue 20: the last resort. A link whose own thread stalled ends the app (to be started again); an outage does not. */
@Tag("step")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WatchdogTest {

    @Test
    void aStalledLinkEndsTheAppAndAnAwayOneDoesNot() throws Exception {
        StalledOrAway link = new StalledOrAway();
        AtomicInteger exits = new AtomicInteger();
        try (LogCapture log = LogCapture.capture(); DefaultCamelContext context = new DefaultCamelContext()) {
            context.addComponent("cloud", link);
            context.addService(new Watchdog(context, 50, exits::incrementAndGet));
            context.start();

            await().during(500, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS).until(() -> exits.get() == 0);
            link.why = "its connection thread has not run for 121 s";
            await().atMost(5, TimeUnit.SECONDS).until(() -> exits.get() > 0);
            String error = log.await(0, "ERROR", "cloud: its connection thread has not run for 121 s", "exits (70)");
            assertNotNull(error, "the ERROR naming the link and the cause: " + log.warnings());
            assertEquals(1, exits.get(), "one exit, then no more checks");
        }
    }

    /** A real Camel component whose link is away (not connected) and, once told, stalled. */
    private static final class StalledOrAway extends DefaultComponent implements Link.Source, Link {
        volatile String why;

        @Override
        protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Link link() {
            return this;
        }

        @Override
        public String name() {
            return "cloud";
        }

        @Override
        public boolean isConnected() {
            return false;
        }

        @Override
        public long connects() {
            return 0;
        }

        @Override
        public State state() {
            return new State("cloud", "tcp://127.0.0.1:1", false, 0, 0, 0, 0, "away", null);
        }

        @Override
        public String stalled() {
            return why;
        }
    }
}
