package io.camelappconnect.mqtt;

import io.camelappconnect.support.LogCapture;
import org.eclipse.paho.client.mqttv3.logging.Logger;
import org.eclipse.paho.client.mqttv3.logging.LoggerFactory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Paho's own warnings reach the app's log in words, from its message catalog; its per-message trace does not. */
class PahoLogTest {

    @Test
    void pahoWarningsAreLoggedInWordsAndItsTraceIsNot() {
        PahoLog.install();
        Logger paho = LoggerFactory.getLogger(LoggerFactory.MQTT_CLIENT_MSG_CAT, "ClientState");
        assertInstanceOf(PahoLog.class, paho);
        try (LogCapture log = LogCapture.capture()) {
            paho.fine("ClientState", "send", "852"); // every message: must cost nothing, and not be logged
            paho.severe("ClientState", "checkForActivity", "619", new Object[] {60000, 1, 2, 3, 4});
            assertEquals(1, log.warnings().size(), String.join("\n", log.warnings()));
            String line = log.warnings().get(0);
            assertTrue(line.startsWith("WARN checkForActivity: Timed out as no activity, keepAlive="), line);
        }
    }
}
