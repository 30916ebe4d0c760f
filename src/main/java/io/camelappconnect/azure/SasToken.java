package io.camelappconnect.azure;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.camelappconnect.mqtt.ConnectionConfig;

/**
 * A device's SAS token, as Microsoft's "Control access to IoT Hub with SAS tokens" makes it:
 * {@code SharedAccessSignature sr={URL-encoded resource URI}&sig={URL-encoded signature}&se={expiry}}, the signature
 * base64(HMAC-SHA256(base64-decoded key, URL-encoded resource URI + "\n" + expiry)), the expiry in epoch seconds of
 * the hub's (wall) clock.
 */
public final class SasToken {

    /** What a pasted token in {@code password} starts with. */
    public static final String PREFIX = "SharedAccessSignature ";
    private static final Pattern EXPIRY = Pattern.compile("(?:^|[ &])se=(\\d{1,12})(?:&|$)");

    private SasToken() {
    }

    /** {@code {host}/devices/{deviceId}}: what a device's token grants. */
    public static String resourceUri(String host, String deviceId) {
        return host + "/devices/" + deviceId;
    }

    /** The token for {@code resourceUri}, valid until {@code expiry} (epoch seconds). */
    public static String make(String resourceUri, byte[] key, long expiry) {
        String sr = URLEncoder.encode(resourceUri, StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sig = mac.doFinal((sr + "\n" + expiry).getBytes(StandardCharsets.UTF_8));
            return PREFIX + "sr=" + sr + "&sig=" + URLEncoder.encode(Base64.getEncoder().encodeToString(sig),
                    StandardCharsets.UTF_8) + "&se=" + expiry;
        } catch (GeneralSecurityException e) { // every JDK has HmacSHA256, and any key length fits it
            throw new IllegalStateException("HmacSHA256: " + e.getMessage(), e);
        }
    }

    /** A device key as the portal shows it (base64). @throws IllegalArgumentException naming the key, never its value */
    public static byte[] key(String setting, String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64.trim());
            if (key.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(setting + " is not a device key: base64 expected, as the hub's"
                    + " device page shows its primary key");
        }
    }

    /** A pasted token's expiry ({@code se=}), or null when it has none. */
    public static Instant expiry(String token) {
        Matcher m = EXPIRY.matcher(token.substring(token.startsWith(PREFIX) ? PREFIX.length() : 0));
        return m.find() ? Instant.ofEpochSecond(Long.parseLong(m.group(1))) : null;
    }

    /** {@code password} as written; a pasted token ({@code SharedAccessSignature ...}) with its expiry known. */
    public static ConnectionConfig.Password pasted(String password) {
        Instant expires = password.startsWith(PREFIX) ? expiry(password) : null;
        return expires == null ? ConnectionConfig.Password.of(password) : new ConnectionConfig.Password() {
            @Override
            public String forConnect() {
                return password;
            }

            @Override
            public Instant expires() {
                return expires;
            }
        };
    }

    /**
     * Made anew at each connect, valid for {@code ttl}; the connection is made anew with a fresh one at 85 % of it,
     * well before the hub would close it.
     */
    public static ConnectionConfig.Password renewed(String resourceUri, byte[] key, Duration ttl, Clock clock) {
        return new ConnectionConfig.Password() {
            @Override
            public String forConnect() {
                return make(resourceUri, key, clock.instant().plus(ttl).getEpochSecond());
            }

            @Override
            public long renewAfterMs() {
                return ttl.toMillis() * 85 / 100;
            }
        };
    }
}
