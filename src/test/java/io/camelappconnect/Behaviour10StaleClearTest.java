package io.camelappconnect;

import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * behaviour.md 10 with 3: with API 1.0 an empty message on lorawan/X/<DEV>/clear is a clear, so the empty retained
 * message that clears a stale retained clear from the broker must not be taken for a second one. Real Mosquitto,
 * which marks a stored message as retained when it delivers it.
 */
@WithMosquitto
class Behaviour10StaleClearTest extends BridgeTestSupport {

    private static final String STALE_DEVICE = "00-80-00-ff-ff-00-00-31";
    private static MqttProbe lnsBeforeBridge;

    /** Runs after the brokers start and before the bridge does. */
    @BeforeAll
    static void staleClear() {
        lnsBeforeBridge = new MqttProbe(lnsBroker.url()).subscribe("lora/" + STALE_DEVICE + "/clear");
        try (MqttProbe someone = new MqttProbe(cloudBroker.url())) {
            someone.publish("lorawan/" + APP + "/" + STALE_DEVICE + "/clear", "{}".getBytes(StandardCharsets.UTF_8), true);
        }
    }

    @AfterAll
    static void closeProbe() {
        lnsBeforeBridge.close();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("app.eui", APP);
    }

    @Test
    void aStaleRetainedClearIsDoneOnceNotAgainForTheEmptyMessageThatClearsIt() {
        assertNotNull(lnsBeforeBridge.next("lora/" + STALE_DEVICE + "/clear", 5), "the clear");
        await().alias("the stale clear cleared from the broker").atMost(5, TimeUnit.SECONDS)
                .until(() -> MqttProbe.retained(cloudBroker.url(), "lorawan/" + APP + "/" + STALE_DEVICE + "/clear") == null);
        assertNull(lnsBeforeBridge.next(1.0), "once: not again for the empty message that cleared it");
    }
}
