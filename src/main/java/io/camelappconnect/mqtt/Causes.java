package io.camelappconnect.mqtt;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.ConnectionFailedException;
import com.hivemq.client.mqtt.exceptions.MqttClientStateException;
import com.hivemq.client.mqtt.exceptions.MqttSessionExpiredException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3DisconnectException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import io.camelappconnect.operations.Redact;

/**
 * A connection failure in one line. The client wraps the cause that says what to fix (refused, TLS, login); for the
 * failures whose technical text does not say what to do, the line starts with that, in words, then the chain.
 */
public final class Causes {

    /** The JDK's words when the broker's certificate does not name the host connected to. */
    private static final Pattern WRONG_HOST = Pattern.compile("No subject alternative .*|No name matching .*");
    private static final Pattern ALERT = Pattern.compile("Received fatal alert: (\\w+)");

    /**
     * The settings a hint names for one connection, as its configuration spells them: the default app's
     * ({@code app.url}, {@code app.options.password}), a declared connection's ({@code mqtt.connection.<name>.*}), a
     * LENS application network's (its entry's {@code url} and {@code options}).
     *
     * @param url     the setting of its URL
     * @param options what its option names follow, e.g. {@code app.options.}; null when it takes none (lns.url)
     */
    public record Keys(String url, String options) {
        /** The default app's: app.url, app.options.*. */
        public static final Keys APP = new Keys("app.url", "app.options.");

        /** A LENS application network's entry in {@code lora-query -x appnet list json} (behaviour.md 10). */
        public static Keys applicationNetwork(String eui) {
            return new Keys("application network " + eui + " url", "application network " + eui + " option ");
        }

        public String option(String name) {
            return options + name;
        }

        /** {@code ": set a and b"}-style words naming these options, or none when the connection takes none. */
        String naming(String before, String... names) {
            if (options == null) {
                return "";
            }
            StringBuilder text = new StringBuilder(before);
            for (int i = 0; i < names.length; i++) {
                text.append(i == 0 ? "" : i == names.length - 1 ? " and " : ", ").append(option(names[i]));
            }
            return text.toString();
        }
    }

    private Causes() {
    }

    /** A failure not of a connect: its words, with the default app's settings in a hint. */
    public static String describe(Throwable error) {
        return describe(error, false, Keys.APP);
    }

    /** The same for a web server in HTTP mode: its words name the server, and a plain port's scheme is http://. */
    public static String describeWebServerFailure(Throwable error, Keys keys) {
        return describe(error, false, "web server", "HTTP", "http://", keys);
    }

    /**
     * @param tlsConnect the error ended a connect over TLS (a reset then means a port without TLS)
     * @param keys       the connection's settings, which the hints name
     */
    static String describe(Throwable error, boolean tlsConnect, Keys keys) {
        return describe(error, tlsConnect, "broker", "MQTT", "mqtt://", keys);
    }

    /**
     * @param peer        what the other end is called in the words
     * @param protocol    its plain protocol's name, and below the scheme of its plain URL
     */
    private static String describe(Throwable error, boolean tlsConnect, String peer, String protocol, String scheme,
                                   Keys keys) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t : chain) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            // a wrapper of a cause with no words of its own
            if (parts.size() < 4 && !(text.equals(t.getClass().getSimpleName()) && t.getCause() != null)) {
                parts.add(text);
            }
        }
        String technical = String.join(": ", parts);
        String meaning = meaning(chain, tlsConnect, peer, protocol, scheme, keys);
        // a library's words may name the URL it was given, its login too
        return Redact.text(meaning == null ? technical : meaning + " [" + technical + "]");
    }

    /** Whether a publish failed because its connection went (the loss keeps it), not for anything of its own. */
    static boolean connectionGone(Throwable error) {
        return error instanceof ConnectionClosedException || error instanceof ConnectionFailedException
                || error instanceof MqttClientStateException || error instanceof MqttSessionExpiredException
                || error instanceof Mqtt3DisconnectException;
    }

    /** Most telling first: an expired certificate also fails the path check, and both are SSL exceptions. */
    private static String meaning(List<Throwable> chain, boolean tlsConnect, String peer, String protocol,
                                  String scheme, Keys keys) {
        for (Throwable t : chain) {
            if (t instanceof Mqtt3ConnAckException refused) {
                Mqtt3ConnAckReturnCode code = refused.getMqttMessage().getReturnCode();
                if (code == Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD || code == Mqtt3ConnAckReturnCode.NOT_AUTHORIZED) {
                    return "the broker refused the login (CONNACK " + code.getCode() + "): check the user name and"
                            + " password" + keys.naming(", ", "username", "password");
                }
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return "TLS: the " + peer + "'s certificate" + subject(t) + " has expired: the " + peer + " needs a new one";
            }
            if (t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return "TLS: the " + peer + "'s certificate" + subject(t) + " is not valid yet: check this gateway's clock";
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertPathBuilderException) { // "PKIX path building failed"
                return "TLS: the " + peer + "'s certificate is not signed by a CA we trust" + (keys.options() == null
                        ? ": put its CA in the JVM's trust store" : ": put its CA certificate in "
                        + keys.option("server_cert") + " (empty: the JVM's trust store)");
            }
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (WRONG_HOST.matcher(message).matches()) {
                return "TLS: the " + peer + "'s certificate is not for the host name in " + keys.url() + ": use the"
                        + " name it is for" + keys.naming(", or ", "check_hostname") + (keys.options() == null ? "" : "=false");
            }
            Matcher alert = ALERT.matcher(message);
            if (t instanceof SSLException && alert.find()) {
                return "TLS: the " + peer + " refused the handshake (" + alert.group(1) + "): "
                        + alert(alert.group(1), peer, keys);
            }
            if (t instanceof SSLException && message.contains("Unsupported or unrecognized SSL message")
                    || tlsConnect && t instanceof IOException && !(t instanceof SSLException) && !(t instanceof ConnectException)) {
                return "TLS: the connection broke off in the TLS handshake: is this the " + peer + "'s TLS port? A plain"
                        + " " + protocol + " port does that (use " + scheme + " for it)";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + message + ": check " + keys.url() + " and the gateway's DNS";
            }
        }
        return null;
    }

    /** What the peer's TLS alert means for the certificates we sent, or did not. */
    private static String alert(String name, String peer, Keys keys) {
        return switch (name) {
            case "certificate_required" -> "it wants a client certificate" + keys.naming(": set ", "client_cert", "apikey");
            case "unknown_ca", "bad_certificate", "unsupported_certificate", "certificate_unknown", "certificate_revoked",
                 "certificate_expired", "access_denied", "decrypt_error" -> "it does not accept our client certificate"
                    + (keys.options() == null ? "" : ": check that " + keys.option("client_cert") + " is one it trusts,"
                    + " valid today, with its key in " + keys.option("apikey"));
            case "handshake_failure" -> "it may want a client certificate" + keys.naming(" (", "client_cert", "apikey")
                    + (keys.options() == null ? "" : ")") + ", or share no cipher with us";
            case "protocol_version" -> "no TLS version in common (we offer TLS 1.2 and 1.3)";
            default -> "see the " + peer + "'s log";
        };
    }

    private static String subject(Throwable t) {
        if (t instanceof CertPathValidatorException v && v.getCertPath() != null && v.getIndex() >= 0
                && v.getCertPath().getCertificates().get(v.getIndex()) instanceof X509Certificate c) {
            return " " + c.getSubjectX500Principal().getName() + " (valid " + c.getNotBefore() + " to " + c.getNotAfter() + ")";
        }
        return "";
    }
}
