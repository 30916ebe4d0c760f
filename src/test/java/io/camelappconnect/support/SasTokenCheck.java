package io.camelappconnect.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The Azure IoT Hub stand-in's verdict on a SAS token presented at CONNECT, as the hub checks one. */
final class SasTokenCheck {

    private final String hostName;
    private final String deviceId;
    private final byte[] deviceKey;

    SasTokenCheck(String hostName, String deviceId, byte[] deviceKey) {
        this.hostName = hostName;
        this.deviceId = deviceId;
        this.deviceKey = deviceKey.clone();
    }

        /** A token's verdict: why it is refused (null when good), and its expiry when it has a readable one. */
        record Checked(String refusal, Instant expiry) {
        }

        Checked check(String password) {
            String prefix = "SharedAccessSignature ";
            if (!password.startsWith(prefix)) {
                return new Checked("password is not a SAS token", null);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : password.substring(prefix.length()).split("&")) {
                int eq = field.indexOf('=');
                fields.put(eq < 0 ? field : field.substring(0, eq), eq < 0 ? "" : field.substring(eq + 1));
            }
            String sr = fields.get("sr");
            String sig = fields.get("sig");
            String se = fields.get("se");
            if (sr == null || sig == null || se == null || !se.matches("\\d{1,12}")) {
                return new Checked("SAS token without sr, sig or a numeric se", null);
            }
            TestSecrets.register("a SAS token's signature", sig);
            TestSecrets.register("a SAS token's signature (URL-decoded)", PropertyBag.decode(sig));
            Instant expiry = Instant.ofEpochSecond(Long.parseLong(se));
            String resource = hostName + "/devices/" + deviceId;
            if (!PropertyBag.decode(sr).equals(resource)) {
                return new Checked("SAS token for resource '" + PropertyBag.decode(sr) + "', not '" + resource + "'",
                        expiry);
            }
            if (!MessageDigest.isEqual(PropertyBag.decode(sig).getBytes(StandardCharsets.UTF_8),
                    signature(sr + "\n" + se).getBytes(StandardCharsets.UTF_8))) {
                return new Checked("SAS token signature does not match the device key", expiry);
            }
            if (!expiry.isAfter(Instant.now())) {
                return new Checked("SAS token expired at " + expiry, expiry);
            }
            return new Checked(null, expiry);
        }

        private String signature(String toSign) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(deviceKey, "HmacSHA256"));
                return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
}
