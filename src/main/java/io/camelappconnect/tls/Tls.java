package io.camelappconnect.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.KeyManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A connection's TLS material as mPower stores it: PEM text, or the path of a PEM file. BouncyCastle only
 * reads the PEM; certificates, keys and TLS itself (1.2 and 1.3) are the JDK's.
 */
public final class Tls {

    /** The TLS versions offered, to brokers and web servers alike. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** A PEM file's size at most: a chain of a few certificates is some KiB; this leaves room for a CA bundle. */
    static final int MAX_FILE_BYTES = 1024 * 1024;
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
                List<X509Certificate> chain = certificates(clientCert);
                PrivateKey privateKey = privateKey(key);
                requirePair(privateKey, chain.get(0), key, clientCert);
                keys = factory(new ClientKey(privateKey, chain.toArray(new X509Certificate[0])));
            }
            TrustManagerFactory trusted = null;
            if (trust.isSet()) { // else the JVM's trust store
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                List<X509Certificate> certificates = certificates(trust);
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

    /** Every certificate in {@code pem}, in order; at least one. */
    static List<X509Certificate> certificates(Pem pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object o : read(pem)) {
            if (!(o instanceof X509CertificateHolder holder)) {
                throw bad(pem, "holds " + kind(o) + " where certificates (-----BEGIN CERTIFICATE-----) belong");
            }
            try {
                certificates.add(converter.getCertificate(holder));
            } catch (GeneralSecurityException e) {
                throw bad(pem, "unusable certificate " + holder.getSubject() + ": " + e.getMessage());
            }
        }
        return certificates;
    }

    /** The one private key in {@code pem}. */
    static PrivateKey privateKey(Pem pem) {
        // openssl ecparam -genkey writes the curve's name (an EC PARAMETERS block) before the key
        List<Object> objects = read(pem).stream().filter(o -> !(o instanceof ASN1ObjectIdentifier)).toList();
        if (objects.size() != 1) {
            throw bad(pem, "holds " + objects.size() + " PEM blocks: it must be exactly one private key");
        }
        Object o = objects.get(0);
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (o instanceof PEMKeyPair pair) { // PKCS#1 (BEGIN RSA PRIVATE KEY), SEC1 (BEGIN EC PRIVATE KEY)
                return converter.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1's public key is optional
            }
            if (o instanceof PrivateKeyInfo info) { // PKCS#8 (BEGIN PRIVATE KEY)
                return converter.getPrivateKey(info);
            }
        } catch (IOException e) {
            throw bad(pem, "unusable private key: " + e.getMessage());
        }
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw bad(pem, "the private key is encrypted: give it unencrypted (openssl pkey -in key.pem -out plain.pem)");
        }
        throw bad(pem, "holds " + kind(o) + ", not a private key");
    }

    private static List<Object> read(Pem pem) {
        List<Object> objects = new ArrayList<>();
        String text = text(pem);
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) { // BouncyCastle reports bad base64 or ASN.1 unchecked
            throw bad(pem, "not valid PEM: " + e.getMessage());
        }
        if (objects.isEmpty()) {
            throw bad(pem, "no PEM block in it: expected PEM text starting with -----BEGIN, or the path of a PEM file");
        }
        return objects;
    }

    private static String text(Pem pem) {
        String value = pem.value().strip();
        if (value.startsWith("-----BEGIN")) {
            // a value from the environment or -D may carry \n escapes; a properties file joining continuation lines
            // may leave BEGIN, base64 and END on one line: PEM needs the markers on lines of their own
            return value.replace("\\n", "\n")
                    .replaceAll("(-----BEGIN [^-]+-----)\\s*", "$1\n")
                    .replaceAll("\\s*(-----END [^-]+-----)\\s*", "\n$1\n");
        }
        try {
            return new String(readBounded(Path.of(value)), StandardCharsets.ISO_8859_1); // a DER file has no PEM block
        } catch (NoSuchFileException e) {
            throw bad(pem, "no such file: give PEM text starting with -----BEGIN, or the path of a PEM file");
        } catch (IOException e) {
            throw bad(pem, "cannot read the file: " + e);
        } catch (RuntimeException e) { // InvalidPathException: its message would repeat the value
            throw bad(pem, "neither PEM text starting with -----BEGIN nor the path of a file");
        }
    }

    /**
     * A file named by configuration or by a LENS list, read only if it is a regular file (links resolved first) and at
     * most {@link #MAX_FILE_BYTES}, and no more than its size said: {@code /dev/zero} would fill the heap, a FIFO or
     * {@code /proc/kmsg} would block the reader (and, for a LENS application, the AppNetworks lock) for ever; procfs
     * says 0 bytes for its files, so none of them is read at all.
     */
    static byte[] readBounded(Path path) throws IOException {
        Path real = path.toRealPath();
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException(real + " is not a regular file");
        }
        if (attributes.size() > MAX_FILE_BYTES) {
            throw new IOException(real + " is " + attributes.size() + " bytes, over the " + MAX_FILE_BYTES / 1024
                    + " KiB a PEM file may have");
        }
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            return in.readNBytes((int) attributes.size()); // a file that grew since is read as it was
        }
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

    private static String kind(Object o) {
        if (o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair
                || o instanceof PKCS8EncryptedPrivateKeyInfo) {
            return "a private key";
        }
        if (o instanceof X509CertificateHolder) {
            return "a certificate";
        }
        return "a " + o.getClass().getSimpleName();
    }

    private static IllegalArgumentException bad(Pem pem, String what) {
        return new IllegalArgumentException(pem.where() + ": " + what);
    }

    /**
     * Offers the configured certificate whatever CAs the broker names. The JDK's own key manager offers one only
     * when its issuer is among them, so a leaf issued by an intermediate the broker does not list would silently
     * not be sent, and the broker would refuse a client "without a certificate".
     */
    private static final class ClientKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        ClientKey(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return fits(keyTypes);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return fits(keyTypes);
        }

        /** Only for a signature kind the key can make (TLS 1.3 asks per kind: RSA, RSASSA-PSS, EC, ...). */
        private String fits(String[] keyTypes) {
            return keyTypes == null || Arrays.asList(keyTypes).contains(key.getAlgorithm()) ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null; // a client only
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
