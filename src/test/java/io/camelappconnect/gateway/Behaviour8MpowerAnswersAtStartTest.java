package io.camelappconnect.gateway;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.MpowerApiStandIn;
import io.camelappconnect.support.TestSecrets;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 finding 2, the mPower answers read at start: the Cloud Connector settings ({@code app.source=mpower},
 * behaviour.md 8) and the gateway EUIs (behaviour.md 2) are read as the {@code api_req} route reads an answer, up to
 * mpower.maxAnswerBytes and within their time. A stand-in of mPower's API (a real HTTP server) answers 50 MiB, or an
 * answer that never ends (a byte a second): the start goes on, or fails at once, and says why, naming the URL and
 * the bound, and never the login.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Behaviour8MpowerAnswersAtStartTest {

    private static final long FIFTY_MIB = 50L * 1024 * 1024;
    private static final String PASSWORD = TestSecrets.MPOWER_PASSWORD;

    private final MpowerApiStandIn api = MpowerApiStandIn.start("admin", PASSWORD);

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void settingsOf50MibAreReadUpToTheBoundAndTheStartSaysSo() {
        api.answerStartCallsAs("/api/test/big?mib=50");
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MpowerSettings.read(config().mpower()));
        double s = (System.nanoTime() - start) / 1e9;
        long sent = await().atMost(20, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS)
                .until(api::bigAnswerSent, n -> n >= 0);
        System.out.printf("MPOWER settings of 50 MiB: refused in %.2f s, %d bytes written before the app let go: %s%n",
                s, sent, e.getMessage());
        assertEquals("app.source=mpower: " + api.url() + "/api/loraNetwork/defaultApp answered more than 1048576 bytes"
                + " (mpower.maxAnswerBytes): not read further", e.getMessage());
        assertTrue(sent < FIFTY_MIB, sent + " bytes of 50 MiB were taken");
        assertEquals(1, api.requests().size(), "an answer too big is not asked again");
    }

    @Test
    void settingsThatNeverEndAreGivenUpAfterTheTimeout() {
        api.answerStartCallsAs("/api/test/endless");
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MpowerSettings.read(config("mpower.timeout", "1500").mpower()));
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("MPOWER settings that never end: given up after %.2f s: %s%n", s, e.getMessage());
        assertEquals("app.source=mpower: " + api.url() + "/api/loraNetwork/defaultApp did not answer within 1500 ms"
                + " (mpower.timeout)", e.getMessage());
        assertTrue(s >= 1.4 && s < 4, s + " s");
        assertFalse(e.getMessage().contains(PASSWORD));
    }

    @Test
    void gatewayEuisFromAnAnswerTooBigOrEndlessAreUnknownWithAWarnSayingWhy() {
        for (String answer : List.of("/api/test/big?mib=50", "/api/test/endless")) {
            api.answerStartCallsAs(answer);
            try (LogCapture log = LogCapture.capture()) {
                long start = System.nanoTime();
                Identity id = Identity.resolve(config("gateway.uuid", "029998e06156cdd44523264b523115c1",
                        "mpower.timeout", "1500"));
                double s = (System.nanoTime() - start) / 1e9;
                assertEquals(List.of(), id.euis());
                String why = answer.contains("big") ? "answered more than 1048576 bytes (mpower.maxAnswerBytes)"
                        : "did not answer within 1500 ms (mpower.timeout)";
                String warn = log.await(0, "gateway EUIs unknown", api.url() + "/api/system/accessoryCards " + why);
                System.out.printf("MPOWER accessory cards %s: start went on after %.2f s: %s%n", answer, s, warn);
                assertNotNull(warn, log.warnings().toString());
                assertFalse(warn.contains(PASSWORD), warn);
                assertTrue(s < 4, s + " s");
            }
        }
        assertTrue(api.requests().stream().allMatch(r -> r.headers().containsKey("authorization")),
                "asked with mPower's login");
    }

    private AppConfig config(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        p.setProperty("loraQuery.command", "/nonexistent/lora-query");
        p.setProperty("mpower.url", api.url());
        p.setProperty("mpower.username", "admin");
        p.setProperty("mpower.password", PASSWORD);
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:config/application.properties"); // the defaults
        context.getPropertiesComponent().setOverrideProperties(p);
        return AppConfig.load(context.getPropertiesComponent());
    }
}
