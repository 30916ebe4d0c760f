package io.camelappconnect.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.List;

import io.camelappconnect.support.TestCertificates;
import io.camelappconnect.support.TestCertificates.Issued;
import io.camelappconnect.support.TestCertificates.Validity;
import io.camelappconnect.tls.Tls.Pem;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading the PEM that mPower stores: each key form, text or file, and a message naming the key when it's wrong. */
@Tag("step")
class TlsTest {

    private static final Pem NONE = new Pem("app.options.server_cert", "");
    private static Issued ca;
    private static Issued rsa;
    private static Issued ec;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.ca("test CA");
        rsa = ca.issue("rsa client", TestCertificates.rsa(), Validity.now(), KeyPurposeId.id_kp_clientAuth);
        ec = ca.issue("ec client", TestCertificates.ec(), Validity.now(), KeyPurposeId.id_kp_clientAuth);
    }

    @Test
    void readsEachKeyForm() {
        assertTrue(rsa.traditionalKeyPem().startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(rsa.pkcs8KeyPem().startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(ec.traditionalKeyPem().startsWith("-----BEGIN EC PRIVATE KEY-----"));

        assertSameKey(rsa, key(rsa.traditionalKeyPem()));
        assertSameKey(rsa, key(rsa.pkcs8KeyPem()));
        assertSameKey(ec, key(ec.traditionalKeyPem()));
        assertSameKey(ec, key(ec.pkcs8KeyPem()));
    }

    @Test
    void readsASec1KeyAfterItsCurveAsOpensslEcparamWritesIt() {
        String prime256v1 = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

        assertSameKey(ec, key(prime256v1 + ec.traditionalKeyPem()));
    }

    @Test
    void readsAFileAsWellAsText() throws Exception {
        Path file = Files.writeString(dir.resolve("client.key"), rsa.pkcs8KeyPem());

        assertSameKey(rsa, key(file.toString()));
        assertSameKey(rsa, key("  " + file + "\n"));
    }

    @Test
    void takesEscapedLineBreaksAndPemJoinedOnOneLine() {
        assertSameKey(ec, key(ec.traditionalKeyPem().replace("\n", "\\n")));
        // a properties value continued over several lines with a trailing backslash arrives joined
        assertSameKey(rsa, key(rsa.pkcs8KeyPem().replace("\n", "")));
    }

    @Test
    void readsACertificateChainInOrder() {
        List<X509Certificate> chain = PemReader.certificates(new Pem("app.options.client_cert",
                rsa.certificatePem() + ca.certificatePem()));

        assertEquals(List.of(rsa.certificate(), ca.certificate()), chain);
    }

    @Test
    void makesASocketFactoryForEachUse() {
        Pem trust = new Pem("app.options.server_cert", ca.certificatePem());
        Pem cert = new Pem("app.options.client_cert", ec.certificatePem());
        Pem key = new Pem("app.options.apikey", ec.traditionalKeyPem());
        Pem noCert = new Pem("app.options.client_cert", "");
        Pem noKey = new Pem("app.options.apikey", "");

        assertNotNull(Tls.config(trust, cert, key, true));
        assertNotNull(Tls.config(trust, noCert, noKey, true));
        assertNotNull(Tls.config(NONE, cert, key, true)); // the JVM's trust store for the broker
    }

    @Test
    void garbageIsAStartErrorNamingTheKey() throws Exception {
        Path der = Files.write(dir.resolve("ca.der"), ca.certificate().getEncoded());

        assertMessage("app.options.server_cert (PEM text): not valid PEM",
                () -> PemReader.certificates(new Pem("app.options.server_cert",
                        "-----BEGIN CERTIFICATE-----\nthis is not base64!\n-----END CERTIFICATE-----")));
        assertMessage("app.options.server_cert=/nowhere/ca.pem: no such file",
                () -> PemReader.certificates(new Pem("app.options.server_cert", "/nowhere/ca.pem")));
        assertMessage("app.options.server_cert=" + der + ": no PEM block in it",
                () -> PemReader.certificates(new Pem("app.options.server_cert", der.toString())));
        assertMessage("app.options.server_cert (PEM text): holds a private key where certificates",
                () -> PemReader.certificates(new Pem("app.options.server_cert", rsa.pkcs8KeyPem())));
        assertMessage("app.options.apikey (PEM text): holds a certificate, not a private key",
                () -> PemReader.privateKey(new Pem("app.options.apikey", rsa.certificatePem())));
        assertMessage("app.options.apikey (PEM text): holds 2 PEM blocks",
                () -> PemReader.privateKey(new Pem("app.options.apikey", rsa.pkcs8KeyPem() + ec.pkcs8KeyPem())));
    }

    @Test
    void anEncryptedKeyIsRefusedWithWhatToDo() throws Exception {
        String encrypted = TestCertificates.pem(new JcaPKCS8Generator(rsa.keys().getPrivate(),
                new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC).setProvider(new BouncyCastleProvider())
                        .setPassword("pw".toCharArray()).build())
                .generate());

        assertTrue(encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assertMessage("app.options.apikey (PEM text): the private key is encrypted: give it unencrypted",
                () -> PemReader.privateKey(new Pem("app.options.apikey", encrypted)));
    }

    @Test
    void aKeyAndCertificateThatDoNotBelongTogetherStopTheStart() {
        Pem rsaCert = new Pem("app.options.client_cert", rsa.certificatePem());
        Issued otherRsa = ca.issue("other", TestCertificates.rsa(), Validity.now(), KeyPurposeId.id_kp_clientAuth);

        assertMessage("app.options.apikey (PEM text): this EC key is not the private key of the certificate in"
                + " app.options.client_cert (CN=rsa client)",
                () -> Tls.config(NONE, rsaCert, new Pem("app.options.apikey", ec.pkcs8KeyPem()), true));
        assertMessage("app.options.apikey (PEM text): this RSA key is not the private key",
                () -> Tls.config(NONE, rsaCert, new Pem("app.options.apikey", otherRsa.traditionalKeyPem()), true));
    }

    @Test
    void aCertificateWithoutItsKeyOrAKeyWithoutItsCertificateStopsTheStart() {
        Pem cert = new Pem("app.options.client_cert", rsa.certificatePem());
        Pem key = new Pem("app.options.apikey", rsa.pkcs8KeyPem());

        assertMessage("app.options.client_cert is set but app.options.apikey is empty",
                () -> Tls.config(NONE, cert, new Pem("app.options.apikey", ""), true));
        assertMessage("app.options.apikey is set but app.options.client_cert is empty",
                () -> Tls.config(NONE, new Pem("app.options.client_cert", ""), key, true));
    }

    private static PrivateKey key(String value) {
        return PemReader.privateKey(new Pem("app.options.apikey", value));
    }

    /** The same numbers (encodings differ: the JDK keeps SEC1's optional public key when it reads one). */
    private static void assertSameKey(Issued expected, PrivateKey read) {
        if (expected.keys().getPrivate() instanceof ECPrivateKey ec) {
            assertEquals(ec.getS(), ((ECPrivateKey) read).getS());
            assertEquals(ec.getParams().getCurve(), ((ECPrivateKey) read).getParams().getCurve());
        } else {
            RSAPrivateKey rsa = (RSAPrivateKey) expected.keys().getPrivate();
            assertEquals(rsa.getModulus(), ((RSAPrivateKey) read).getModulus());
            assertEquals(rsa.getPrivateExponent(), ((RSAPrivateKey) read).getPrivateExponent());
        }
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
