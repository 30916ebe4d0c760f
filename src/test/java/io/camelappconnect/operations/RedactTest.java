package io.camelappconnect.operations;

import io.camelappconnect.mqtt.BrokerUrl;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Finding 11 of issue 20: URL logins and private keys never reach a log line. */
@Tag("step")
class RedactTest {

    @Test
    void aUrlLoginIsHidden() {
        assertEquals("cloud mqtts://***@broker:8883/x and http://***@h/p",
                Redact.text("cloud mqtts://user:" + TestSecrets.APP_PASSWORD + "@broker:8883/x and http://u@h/p"));
        assertEquals("mail a@b, http://host/a@b", Redact.text("mail a@b, http://host/a@b"));
    }

    @Test
    void aPrivateKeyIsHidden() {
        String text = Redact.text(
                "k=-----BEGIN EC PRIVATE KEY-----\n" + TestSecrets.KEY_BODY + "\n-----END EC PRIVATE KEY----- end");
        assertEquals("k=-----BEGIN EC PRIVATE KEY----- (hidden) end", text);
    }

    @Test
    void aBadBrokerUrlIsRefusedWithoutItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerUrl.parse("app.url", "ftp://user:" + TestSecrets.APP_PASSWORD + "@broker"));
        assertFalse(e.getMessage().contains(TestSecrets.APP_PASSWORD), e.getMessage());
    }
}
