package io.camelappconnect;

import java.util.HashMap;
import java.util.Map;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.TestCertificates;
import io.camelappconnect.support.TestCertificates.Issued;
import io.camelappconnect.support.TestCertificates.Validity;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3, TLS and credentials, against a real Mosquitto with certificates the test makes: a listener that
 * wants a client certificate, one whose certificate names another host, one with an expired certificate, one with
 * a password file, and a plain one for the test's probe and for the bridge's LNS side. Each test starts the bridge
 * as a gateway does (camel-main, config/application.properties, routes/) with its own TLS settings, which a
 * {@link BridgeTestSupport} class, one set of properties for all its tests, could not give. The broker and the
 * bridge's start are {@link TlsBrokerTestSupport}'s.
 */
class Behaviour3TlsTest extends TlsBrokerTestSupport {

    /** The three key forms mPower may hold, each given another way: files, text with \n escapes, plain text. */
    enum ClientKey {
        RSA_PKCS1_IN_FILES, RSA_PKCS8_AS_ESCAPED_TEXT, EC_SEC1_AS_TEXT
    }

    @ParameterizedTest
    @EnumSource(ClientKey.class)
    void connectsWithAClientCertificateAndItsKey(ClientKey kind) throws Exception {
        Map<String, String> tls = switch (kind) {
            case RSA_PKCS1_IN_FILES -> Map.of(
                    "app.options.server_cert", file("ca.pem", ca.certificatePem()),
                    "app.options.client_cert", file("client.pem", rsaClient.certificatePem()),
                    "app.options.apikey", file("client.key", rsaClient.traditionalKeyPem()));
            case RSA_PKCS8_AS_ESCAPED_TEXT -> Map.of(
                    "app.options.server_cert", escaped(ca.certificatePem()),
                    "app.options.client_cert", escaped(rsaClient.certificatePem()),
                    "app.options.apikey", escaped(rsaClient.pkcs8KeyPem()));
            case EC_SEC1_AS_TEXT -> Map.of(
                    "app.options.server_cert", ca.certificatePem(),
                    "app.options.client_cert", ecClient.certificatePem(),
                    "app.options.apikey", ecClient.traditionalKeyPem());
        };
        assertTrue(tls.get("app.options.apikey").contains(switch (kind) {
            case RSA_PKCS1_IN_FILES -> "client.key";
            case RSA_PKCS8_AS_ESCAPED_TEXT -> "-----BEGIN PRIVATE KEY-----\\n";
            case EC_SEC1_AS_TEXT -> "-----BEGIN EC PRIVATE KEY-----\n";
        }), "the key in the form this case is about");

        start("mqtts://127.0.0.1:" + broker.port(), tls);

        assertUplinkArrives("00-80-00-ff-ff-00-01-0" + kind.ordinal());
    }

    @Test
    void aBrokerWhoseCertificateIsForAnotherHostIsRefusedWhileCheckHostnameIsOn() throws Exception {
        start("ssl://127.0.0.1:" + wrongNamePort, clientTls());

        assertNotNull(log.await(10, "cloud: cannot connect to ssl://127.0.0.1:" + wrongNamePort,
                "the broker's certificate is not for the host name in app.url", "127.0.0.1",
                "app.options.check_hostname=false"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void theSameBrokerIsAcceptedWithCheckHostnameOff() throws Exception {
        Map<String, String> settings = new HashMap<>(clientTls());
        settings.put("app.options.check_hostname", "false");

        start("ssl://127.0.0.1:" + wrongNamePort, settings);

        assertUplinkArrives("00-80-00-ff-ff-00-02-01");
    }

    @Test
    void aBrokerCertificateFromAnUntrustedCaIsRefused() throws Exception {
        Map<String, String> settings = new HashMap<>(clientTls());
        settings.put("app.options.server_cert", TestCertificates.ca("some other CA").certificatePem());

        start("ssl://127.0.0.1:" + broker.port(), settings);

        assertNotNull(log.await(10, "cloud: cannot connect", "not signed by a CA we trust",
                "app.options.server_cert", "PKIX path building failed"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void anExpiredBrokerCertificateIsNamedSo() throws Exception {
        start("ssl://127.0.0.1:" + expiredPort, clientTls());

        assertNotNull(log.await(10, "cloud: cannot connect", "the broker's certificate CN=broker", "has expired"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void aClientCertificateTheBrokerDoesNotTrustIsNamedSo() throws Exception {
        Issued stranger = TestCertificates.ca("stranger CA").issue("gateway", TestCertificates.ec(), Validity.now(),
                KeyPurposeId.id_kp_clientAuth);

        start("ssl://127.0.0.1:" + broker.port(), Map.of("app.options.server_cert", ca.certificatePem(),
                "app.options.client_cert", stranger.certificatePem(), "app.options.apikey", stranger.pkcs8KeyPem()));

        assertNotNull(log.await(10, "cloud: ", "does not accept our client certificate", "app.options.client_cert"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void aBrokerThatWantsAClientCertificateSaysSo() throws Exception {
        start("ssl://127.0.0.1:" + broker.port(), Map.of("app.options.server_cert", ca.certificatePem()));

        assertNotNull(log.await(10, "cloud: ", "it wants a client certificate: set app.options.client_cert and"
                + " app.options.apikey", "certificate_required"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void aPortWithoutTlsIsNamedSo() throws Exception {
        start("mqtts://127.0.0.1:" + plainPort, Map.of("app.options.server_cert", ca.certificatePem()));

        assertNotNull(log.await(10, "cloud: cannot connect", "is this the broker's TLS port? A plain MQTT port does that"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void certificatesForAPlainUrlAreLeftUnusedWithAWarning() throws Exception {
        start("tcp://127.0.0.1:" + plainPort, clientTls());

        assertNotNull(log.await(0, "app.options.server_cert, app.options.client_cert, app.options.apikey: not used, app.url tcp://127.0.0.1:"
                + plainPort + " is not TLS"));
        assertUplinkArrives("00-80-00-ff-ff-00-04-01");
    }

    @Test
    void aWrongPasswordIsRefusedWithALineNamingTheSettings() throws Exception {
        start("mqtts://127.0.0.1:" + passwordPort, Map.of("app.options.server_cert", ca.certificatePem(),
                "app.options.username", USER, "app.options.password", "not " + PASSWORD));

        assertNotNull(log.await(10, "cloud: cannot connect", "the broker refused the login",
                "app.options.username and app.options.password"));
        assertFalse(cloud().isConnected());
    }

    @Test
    void theRightPasswordConnects() throws Exception {
        start("mqtts://127.0.0.1:" + passwordPort, Map.of("app.options.server_cert", ca.certificatePem(),
                "app.options.username", USER, "app.options.password", PASSWORD));

        assertUplinkArrives("00-80-00-ff-ff-00-03-01");
    }

    @Test
    void aKeyThatIsNotTheCertificatesStopsTheStart() {
        Exception refused = assertThrows(Exception.class, () -> start("mqtts://127.0.0.1:" + broker.port(), Map.of(
                "app.options.client_cert", rsaClient.certificatePem(), "app.options.apikey", ecClient.pkcs8KeyPem())));

        assertTrue(messages(refused).contains("app.options.apikey (PEM text): this EC key is not the private key"
                + " of the certificate in app.options.client_cert"), messages(refused));
    }
}
