package io.camelappconnect.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The suite's test secrets, in one place so that {@link NoSecretInLogs} can grep every log line for them: a test
 * that gives the bridge a password, a key or a login takes it from here (or registers the one it made). Each is a
 * string no log line holds by chance ("tsq" and a mix no word has); none is ever printed whole, only its label.
 */
public final class TestSecrets {

    /** Secret to its label. */
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    /** A broker's password (app.options.password); with a space, as a person may choose one. */
    public static final String BROKER_PASSWORD = secret("a broker password", "tsq-Broker pass-4Rz8");
    /** A password in a LENS entry or a URL's login: URL- and JSON-safe. */
    public static final String APP_PASSWORD = secret("a LENS entry's or URL login's password", "tsq-App-pw-9f3kQ");
    /** The body of a PEM private key that is not a key (a LENS entry's apikey, a bad key file). */
    public static final String KEY_BODY = secret("a PEM key's body", "MIIEvTSQkeyBody7Hq2");
    /** The mPower API's login (mpower.username, mpower.password), and the Authorization header they make. */
    public static final String MPOWER_USER = "admin";
    public static final String MPOWER_PASSWORD = secret("the mPower API's password", "tsq-Mpower-pw-3Jd6");
    public static final String MPOWER_BASIC = "Basic " + secret("the mPower API's login as HTTP Basic credentials",
            Base64.getEncoder().encodeToString((MPOWER_USER + ":" + MPOWER_PASSWORD).getBytes(StandardCharsets.UTF_8)));
    /** An Azure IoT Hub device key (app.options.sharedAccessKey): base64 of 32 bytes, as the hub makes one. */
    public static final String AZURE_DEVICE_KEY = secret("an Azure device key",
            "tsqNjIn6ZhIbBU6TzCmh5N8lLnss7GXp/aLYo1/BKAc=");

    /** What a line holds of the secrets: the first one's label, and the line with every secret put as its label. */
    public record Found(String label, String masked) {
    }

    private TestSecrets() {
    }

    private static String secret(String label, String secret) {
        SECRETS.put(secret, label);
        return secret;
    }

    /** A secret made during the run (a SAS token's signature): grepped for from now on. */
    public static String register(String label, String secret) {
        SECRETS.putIfAbsent(secret, label);
        return secret;
    }

    /**
     * A private key a test made: the grep looks for its PEM body's first line, 64 characters with key material in
     * every kind of key, and what a log that cut a key short would show first.
     */
    public static String registerPem(String label, String pem) {
        String[] lines = pem.split("\r?\n");
        if (lines.length > 2 && lines[1].length() == 64) {
            SECRETS.putIfAbsent(lines[1], label);
        }
        return pem;
    }

    /** The secrets in {@code line}, or null when it holds none. */
    public static Found find(String line) {
        String label = null;
        String masked = line;
        for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
            if (masked.contains(secret.getKey())) {
                label = label == null ? secret.getValue() : label;
                masked = masked.replace(secret.getKey(), "<" + secret.getValue() + ">");
            }
        }
        return label == null ? null : new Found(label, masked);
    }
}
