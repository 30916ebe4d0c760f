package io.camelappconnect.lens;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Findings 10 and 11 of issue 20: an option the MQTT client would refuse only at connect refuses the application as
 * its entry is read, naming it and the option; no refusal shows the entry (its password, the PEM key in apikey).
 */
@Tag("step")
class Behaviour10BadLensOptionsTest {

    private static final String SECRET = TestSecrets.APP_PASSWORD;
    private static final String KEY =
            "-----BEGIN PRIVATE KEY-----\\n" + TestSecrets.KEY_BODY + "\\n-----END PRIVATE KEY-----";

    private static String refused(String entry) {
        JsonNode json = Json.object(entry.getBytes());
        BadMessage e = assertThrows(BadMessage.class, () -> AppNet.parse(json));
        assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains(TestSecrets.KEY_BODY), e.getMessage());
        return e.getMessage();
    }

    private static String options(String more) {
        return "{\"eui\":\"00-00-00-00-00-00-00-01\",\"url\":\"mqtt://u:" + SECRET + "@broker:1883\",\"options\":{"
                + "\"password\":\"" + SECRET + "\",\"apikey\":\"" + KEY + "\"" + more + "}}";
    }

    @Test
    void aKeepaliveOver65535IsRefusedNamingTheApplicationAndTheOption() {
        String message = refused(options(",\"keepalive\":70000"));
        assertTrue(message.contains("00-00-00-00-00-00-00-01") && message.contains("keepalive"), message);
    }

    @Test
    void aKeepaliveThatIsNoNumberIsRefused() {
        assertTrue(refused(options(",\"keepalive\":\"soon\"")).contains("keepalive"));
    }

    @Test
    void aNulInClientIdIsRefused() {
        String message = refused(options(",\"client_id\":\"gw\\u0000x\""));
        assertTrue(message.contains("client_id"), message);
    }

    @Test
    void anEntryWithoutATextEuiIsNotShown() {
        String message = refused("{\"eui\":5,\"options\":{\"password\":\"" + SECRET + "\",\"apikey\":\"" + KEY + "\"}}");
        assertTrue(message.contains("eui") && message.contains("options"), message);
    }

    @Test
    void goodOptionsPass() {
        JsonNode json = Json.object(options(",\"keepalive\":65535,\"client_id\":\"gw-1\"").getBytes());
        assertEquals("65535", AppNet.parse(json).option("keepalive", ""));
    }
}
