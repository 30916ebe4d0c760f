package io.camelappconnect.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;

/**
 * A connection's TLS material as mPower stores it: PEM text, or the path of a PEM file. BouncyCastle only
 * reads the PEM; certificates, keys and TLS itself (1.2 and 1.3) are the JDK's.
 */
public final class Tls {

    /** The TLS versions offered, to brokers and web servers alike. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private static final int MAX_PATH_CHARS = 4096;

    /**
     * A configuration key and its value: PEM text (it starts with {@code -----BEGIN}; {@code \n} escapes are
     * taken as line breaks) or the path of a PEM file. Empty when not set.
     */
    public record Pem(String key, String value) {
        public boolean isSet() {
            return !value.isBlank();
        }

        /**
         * For messages: a path is shown, PEM text (perhaps a private key) never is, nor what only looks like a path
         * (a key with something before its BEGIN line, a value over lines).
         */
        String where() {
            String v = value.strip();
            return v.startsWith("-----BEGIN") ? key + " (PEM text)"
                    : v.contains("-----") || v.contains("\n") || v.length() > MAX_PATH_CHARS ? key + " (not shown)"
                    : key + "=" + v;
        }
    }

    private Tls() {
    }

    /**
     * @param trust         CA or broker certificates to trust; empty: the JVM's trust store
     * @param clientCert    the client certificate, its chain after it; set together with {@code key}, or neither
     * @param key           the client certificate's private key: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted
     * @param checkHostname whether the broker's certificate must name the host connected to
     * @throws IllegalArgumentException naming the key whose value is missing, unreadable or does not fit
     */
    public static MqttClientSslConfig config(Pem trust, Pem clientCert, Pem key, boolean checkHostname) {
        Managers managers = managers(trust, clientCert, key);
        MqttClientSslConfigBuilder tls = MqttClientSslConfig.builder().protocols(PROTOCOLS);
        if (!checkHostname) { // the client checks the name itself unless it is given a verifier
            tls.hostnameVerifier((host, session) -> true);
        }
        if (managers.keys() != null) {
            tls.keyManagerFactory(managers.keys());
        }
        if (managers.trust() != null) {
            tls.trustManagerFactory(managers.trust());
        }
        return tls.build();
    }

    /**
     * The same options for HTTPS (HTTP mode, behaviour.md 9): the caller checks the host name, or not.
     *
     * @throws IllegalArgumentException as {@link #config}
     */
    public static SSLContext context(Pem trust, Pem clientCert, Pem key) {
        Managers managers = managers(trust, clientCert, key);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(managers.keys() == null ? null : managers.keys().getKeyManagers(),
                    managers.trust() == null ? null : managers.trust().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The client certificate's key manager and the trusted certificates; null where not set (the JVM's trust store). */
    private record Managers(KeyManagerFactory keys, TrustManagerFactory trust) {
    }

    private static Managers managers(Pem trust, Pem clientCert, Pem key) {
        if (clientCert.isSet() != key.isSet()) {
            Pem set = clientCert.isSet() ? clientCert : key;
            Pem missing = clientCert.isSet() ? key : clientCert;
            throw new IllegalArgumentException(set.key() + " is set but " + missing.key() + " is empty: the client"
                    + " certificate and its private key go together, set both or neither");
        }
        try {
            KeyManagerFactory keys = null;
            if (clientCert.isSet()) {
                List<X509Certificate> chain = PemReader.certificates(clientCert);
                PrivateKey privateKey = PemReader.privateKey(key);
                requirePair(privateKey, chain.get(0), key, clientCert);
                keys = factory(new ClientKey(privateKey, chain.toArray(new X509Certificate[0])));
            }
            TrustManagerFactory trusted = null;
            if (trust.isSet()) { // else the JVM's trust store
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                List<X509Certificate> certificates = PemReader.certificates(trust);
                for (int i = 0; i < certificates.size(); i++) {
                    store.setCertificateEntry("trusted-" + i, certificates.get(i));
                }
                trusted = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trusted.init(store);
            }
            return new Managers(keys, trusted);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The MQTT client takes key managers only from a factory. */
    private static KeyManagerFactory factory(KeyManager keyManager) {
        return new KeyManagerFactory(new KeyManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks, char[] password) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected KeyManager[] engineGetKeyManagers() {
                return new KeyManager[] {keyManager};
            }
        }, null, "client-certificate") {
        };
    }

    /** Signs with the key and checks with the certificate: a wrong pair would only show as a refused handshake. */
    private static void requirePair(PrivateKey key, X509Certificate certificate, Pem keyPem, Pem certPem) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return; // a rarer kind of key: the broker's handshake is the check
        }
        byte[] probe = "camel-app-connect".getBytes(StandardCharsets.US_ASCII);
        boolean pair;
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(probe);
            byte[] signed = signature.sign();
            signature.initVerify(certificate.getPublicKey());
            signature.update(probe);
            pair = signature.verify(signed);
        } catch (GeneralSecurityException e) { // e.g. an RSA key for an EC certificate
            pair = false;
        }
        if (!pair) {
            throw new IllegalArgumentException(keyPem.where() + ": this " + key.getAlgorithm() + " key is not the"
                    + " private key of the certificate in " + certPem.key() + " ("
                    + certificate.getSubjectX500Principal().getName() + ")");
        }
    }
}
