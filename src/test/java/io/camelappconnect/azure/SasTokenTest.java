package io.camelappconnect.azure;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.mqtt.BrokerUrl;
import io.camelappconnect.operations.Redact;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SAS token against an independent implementation in a real process: openssl's HMAC-SHA256 over the URL-encoded
 * resource URI, a newline and the expiry, as Microsoft's "Control access to IoT Hub with SAS tokens" signs it.
 */
@Timeout(60)
class SasTokenTest {

    @ParameterizedTest
    @CsvSource({
            "my-hub.azure-devices.net, gw-0001, 1893456000",
            "h.azure-devices.net, 00-80-00-00-d0-00-01-ff, 1700000000",
            "127.0.0.1, device with space+plus, 4102444800"})
    void theSignatureIsOpensslsHmacOverTheEncodedUriAndExpiry(String host, String device, long expiry) throws Exception {
        byte[] key = SasToken.key("app.options.sharedAccessKey", TestSecrets.AZURE_DEVICE_KEY);
        String uri = SasToken.resourceUri(host, device);
        String token = SasToken.make(uri, key, expiry);

        assertTrue(token.startsWith("SharedAccessSignature sr="), "the prefix");
        String[] fields = token.substring("SharedAccessSignature ".length()).split("&");
        assertEquals(3, fields.length, "sr, sig and se");
        String sr = fields[0].substring("sr=".length());
        assertEquals(uri, URLDecoder.decode(sr, StandardCharsets.UTF_8));
        assertFalse(sr.contains("/"), "the resource URI is URL-encoded");
        assertEquals("se=" + expiry, fields[2]);
        String sig = URLDecoder.decode(fields[1].substring("sig=".length()), StandardCharsets.UTF_8);
        assertEquals(openssl(key, sr + "\n" + expiry), sig);
        assertEquals(Instant.ofEpochSecond(expiry), SasToken.expiry(token));
    }

    @Test
    void aKeyThatIsNotBase64IsRefusedNamingTheSettingNotTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SasToken.key("app.options.sharedAccessKey", "tsq-not base64!"));
        assertTrue(e.getMessage().startsWith("app.options.sharedAccessKey is not a device key"), e.getMessage());
        assertFalse(e.getMessage().contains("tsq-not"), e.getMessage());
    }

    @Test
    void aPastedTokensExpiryIsReadAndAPlainPasswordHasNone() {
        assertEquals(Instant.ofEpochSecond(1700000000L), SasToken.pasted(
                "SharedAccessSignature sr=h%2Fdevices%2Fd&sig=abc%3D&se=1700000000").expires());
        assertEquals(Instant.ofEpochSecond(42L), SasToken.pasted("SharedAccessSignature se=42&sr=x&sig=y").expires());
        assertNull(SasToken.pasted(TestSecrets.BROKER_PASSWORD).expires());
        assertNull(SasToken.pasted("SharedAccessSignature sr=x&sig=y").expires(), "no se=: not known to end");
    }

    @Test
    void aTokenIsHiddenWhereTheCodeRedacts() {
        String token = SasToken.make("h/devices/d", new byte[] {1, 2, 3}, 1700000000L);
        String shown = Redact.text("connect refused with " + token + " as the password");
        assertEquals("connect refused with SharedAccessSignature (hidden) as the password", shown);
    }

    @Test
    void mqttsWithoutAPortIs8883() {
        assertEquals(8883, BrokerUrl.parse("app.url", "mqtts://my-hub.azure-devices.net").port());
    }

    /** base64(HMAC-SHA256(key, text)) as openssl and base64 make it, in a process of their own. */
    private static String openssl(byte[] key, String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "openssl dgst -sha256 -mac HMAC -macopt hexkey:"
                + HexFormat.of().formatHex(key) + " -binary | base64").redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl ended");
        assertEquals(0, p.exitValue(), out);
        Base64.getDecoder().decode(out); // base64 indeed, not an error message
        return out;
    }
}
