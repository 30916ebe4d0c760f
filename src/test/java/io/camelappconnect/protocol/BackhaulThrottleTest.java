package io.camelappconnect.protocol;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.camelappconnect.gateway.AppConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 6: the throttle's decisions, its bounded memory, and its payload setting. */
@Tag("step")
class BackhaulThrottleTest {

    /** Never started: it only makes exchanges. */
    private static final CamelContext CONTEXT = new DefaultCamelContext();
    private static final AppConfig.BackhaulDetect DEFAULTS = new AppConfig.BackhaulDetect(true, "FF", 1, 300);

    @Test
    void theDefaultDownlinkIsFfOnPort1AndTheUplinkIsLeftAloneWhileTheCloudIsUp() {
        AtomicBoolean up = new AtomicBoolean(true);
        BackhaulThrottle throttle = new BackhaulThrottle(up::get, () -> 1, DEFAULTS);

        Exchange whileUp = uplink("00-80-00-ff-ff-00-00-03");
        throttle.process(whileUp);
        assertNull(whileUp.getProperty(BackhaulThrottle.DUE));
        assertEquals("the uplink", whileUp.getMessage().getBody(String.class));

        up.set(false);
        Exchange whileDown = uplink("00-80-00-ff-ff-00-00-03");
        throttle.process(whileDown);
        assertEquals(true, whileDown.getProperty(BackhaulThrottle.DUE));
        assertEquals("{\"port\":1,\"data\":\"/w==\"}", whileDown.getMessage().getBody(String.class));
    }

    @Test
    void oncePerDeviceUntilAnUplinkFindsTheLinkUpAgain() {
        AtomicBoolean up = new AtomicBoolean(false);
        BackhaulThrottle throttle = new BackhaulThrottle(up::get, () -> 1, DEFAULTS);

        assertTrue(due(throttle, "00-80-00-ff-ff-00-00-01"));
        assertFalse(due(throttle, "00-80-00-ff-ff-00-00-01"), "within the timeout");
        assertTrue(due(throttle, "00-80-00-ff-ff-00-00-02"), "another device");

        up.set(true);
        assertFalse(due(throttle, "00-80-00-ff-ff-00-00-09"));
        assertEquals(0, throttle.remembered(), "forgotten once the link is up");
        up.set(false);
        assertTrue(due(throttle, "00-80-00-ff-ff-00-00-01"), "the next outage: at once");
    }

    @Test
    void aReconnectNoUplinkSawStillStartsANewOutage() {
        AtomicLong connects = new AtomicLong(1);
        BackhaulThrottle throttle = new BackhaulThrottle(() -> false, connects::get, DEFAULTS);

        assertTrue(due(throttle, "00-80-00-ff-ff-00-00-01"));
        assertFalse(due(throttle, "00-80-00-ff-ff-00-00-01"), "within the timeout");
        connects.incrementAndGet(); // up and down again between two uplinks
        assertTrue(due(throttle, "00-80-00-ff-ff-00-00-01"), "the next outage: at once");
    }

    @Test
    void memoryIsBoundedAndForgetsTheLeastRecentlyHeard() {
        BackhaulThrottle throttle = new BackhaulThrottle(() -> false, () -> 1, DEFAULTS);
        int max = BackhaulThrottle.MAX_DEVICES;
        for (int i = 0; i < max; i++) {
            assertTrue(due(throttle, device(i)));
        }
        assertEquals(max, throttle.remembered());

        assertFalse(due(throttle, device(0)), "heard again: now the most recently heard");
        assertTrue(due(throttle, device(max)), "a new device");
        assertEquals(max, throttle.remembered(), "bounded");
        assertFalse(due(throttle, device(0)), "still remembered");
        assertTrue(due(throttle, device(1)), "the least recently heard was forgotten: its next uplink triggers early");
        assertEquals(max, throttle.remembered());
    }

    @ParameterizedTest
    @ValueSource(strings = {"F", "FFF", "GG", "0xFF", "FF FF"})
    void aPayloadThatIsNotHexIsRefusedAtStart(String payload) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BackhaulThrottle(() -> false, () -> 1, new AppConfig.BackhaulDetect(true, payload, 1, 300)));
        assertTrue(e.getMessage().startsWith("app.backhaulDetect.payload=" + payload + ": must be hex"), e.getMessage());
    }

    private static boolean due(BackhaulThrottle throttle, String dev) {
        Exchange exchange = uplink(dev);
        throttle.process(exchange);
        return exchange.getProperty(BackhaulThrottle.DUE) != null;
    }

    private static String device(int i) {
        String hex = String.format("%016x", 0x0080_0000_0000_0000L + i);
        return hex.replaceAll("(..)(?!$)", "$1-");
    }

    /** An uplink's exchange as the uplink routes hand it over: after deviceEuis and the cloud publish. */
    private static Exchange uplink(String devEui) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setHeader(DeviceEuis.DEV_EUI, devEui);
        exchange.getMessage().setBody("the uplink");
        return exchange;
    }
}
