package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttConnection;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TestCertificates;
import io.camelappconnect.support.TestCertificates.Issued;
import io.camelappconnect.support.TestCertificates.Validity;
import io.camelappconnect.support.TestSecrets;
import org.apache.camel.main.Main;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.TestCertificates.dns;
import static io.camelappconnect.support.TestCertificates.ip;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3, TLS and credentials, against a real Mosquitto with certificates the test makes: a listener that
 * wants a client certificate, one whose certificate names another host, one with an expired certificate, one with
 * a password file, and a plain one for the test's probe and for the bridge's LNS side. Each test starts the bridge
 * as a gateway does (camel-main, config/application.properties, routes/) with its own TLS settings, which a
 * {@link BridgeTestSupport} class, one set of properties for all its tests, could not give.
 */
class Behaviour3TlsTest {

    private static final String USER = "gateway-7";
    private static final String PASSWORD = TestSecrets.BROKER_PASSWORD;

    private static Issued ca;
    private static Issued rsaClient;
    private static Issued ecClient;
    private static Mosquitto broker;
    private static int wrongNamePort;
    private static int expiredPort;
    private static int passwordPort;
    private static int plainPort;

    private Main bridge;
    private LogCapture log;

    @BeforeAll
    static void brokerWithTlsListeners() {
        ca = TestCertificates.ca("camel-app-connect test CA");
        rsaClient = ca.issue("gateway rsa", TestCertificates.rsa(), Validity.now(), KeyPurposeId.id_kp_clientAuth);
        ecClient = ca.issue("gateway ec", TestCertificates.ec(), Validity.now(), KeyPurposeId.id_kp_clientAuth);
        wrongNamePort = EmbeddedBroker.freePort();
        expiredPort = EmbeddedBroker.freePort();
        passwordPort = EmbeddedBroker.freePort();
        plainPort = EmbeddedBroker.freePort();
        broker = Mosquitto.start((port, dir) -> {
            Path caFile = TestCertificates.write(dir.resolve("ca.pem"), ca.certificatePem());
            String good = serverFiles(dir, "good", ca.issue("broker", TestCertificates.ec(), Validity.now(),
                    KeyPurposeId.id_kp_serverAuth, dns("localhost"), ip("127.0.0.1")));
            String wrongName = serverFiles(dir, "wrong-name", ca.issue("broker.example.com", TestCertificates.ec(),
                    Validity.now(), KeyPurposeId.id_kp_serverAuth, dns("broker.example.com")));
            String expired = serverFiles(dir, "expired", ca.issue("broker", TestCertificates.ec(), Validity.expired(),
                    KeyPurposeId.id_kp_serverAuth, ip("127.0.0.1")));
            Path passwords = Mosquitto.passwordFile(dir, USER, PASSWORD);
            String clientCertificates = "cafile " + caFile + "\nrequire_certificate true\nallow_anonymous true\n";
            // each listener its own authentication; the port Mosquitto.start waits for comes last, so all are open.
            // Started as root, Mosquitto would drop to its own user, which cannot read the test's private files.
            return "user root\nper_listener_settings true\n"
                    + "listener " + wrongNamePort + " 127.0.0.1\n" + wrongName + clientCertificates
                    + "listener " + expiredPort + " 127.0.0.1\n" + expired + clientCertificates
                    + "listener " + passwordPort + " 127.0.0.1\n" + good + "cafile " + caFile + "\n"
                    + "password_file " + passwords + "\nallow_anonymous false\n"
                    + "listener " + plainPort + " 127.0.0.1\nallow_anonymous true\n"
                    + "listener " + port + " 127.0.0.1\n" + good + clientCertificates;
        });
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.stop();
        }
    }

    @BeforeEach
    void captureLog() {
        log = LogCapture.capture();
    }

    @AfterEach
    void stopBridge() {
        if (bridge != null) {
            bridge.stop();
        }
        log.close();
    }

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

    private static Map<String, String> clientTls() {
        return Map.of("app.options.server_cert", ca.certificatePem(), "app.options.client_cert",
                rsaClient.certificatePem(), "app.options.apikey", rsaClient.pkcs8KeyPem());
    }

    private void start(String cloudUrl, Map<String, String> settings) throws Exception {
        Properties p = new Properties();
        p.setProperty("app.url", cloudUrl);
        p.setProperty("lns.url", "tcp://127.0.0.1:" + plainPort);
        p.setProperty("gateway.uuid", GW);
        p.setProperty("gateway.serial", "18581234");
        p.setProperty("gateway.euis", "00-80-00-00-d0-00-01-1a");
        p.setProperty("mqtt.reconnect.initialDelay", "100");
        p.setProperty("mqtt.reconnect.maxDelay", "500");
        p.setProperty("store.dir", Files.createTempDirectory("store").toString());
        p.putAll(settings);
        bridge = new Main();
        bridge.setPropertyPlaceholderLocations("file:config/application.properties");
        bridge.configure().addConfiguration(AppConfiguration.class);
        bridge.setOverrideProperties(p);
        bridge.start();
    }

    private MqttConnection cloud() {
        return bridge.getCamelContext().getComponent("cloud", MqttComponent.class).connection();
    }

    /** The proof of a working connection: an uplink from the LNS side reaches the cloud side. */
    private void assertUplinkArrives(String dev) {
        MqttConnection lns = bridge.getCamelContext().getComponent("lns", MqttComponent.class).connection();
        await().alias("both connections up").atMost(10, TimeUnit.SECONDS).pollDelay(Duration.ZERO)
                .pollInterval(10, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertTrue(cloud().isConnected() && lns.isConnected(),
                        () -> "cloud " + cloud().isConnected() + ", lns " + lns.isConnected() + "; " + log.warnings()));
        try (MqttProbe probe = new MqttProbe("tcp://127.0.0.1:" + plainPort)) {
            probe.subscribe("lorawan/" + GW + "/" + APP + "/" + dev + "/up");
            probe.publish("lora/" + APP + "/" + dev + "/up", BridgeTestSupport.uplink(APP, dev, 1));
            assertNotNull(probe.next(5), "the uplink reached the cloud broker over TLS");
        }
    }

    private static String serverFiles(Path dir, String name, Issued server) {
        Path cert = TestCertificates.write(dir.resolve(name + ".pem"), server.certificatePem());
        Path key = TestCertificates.write(dir.resolve(name + ".key"), server.pkcs8KeyPem());
        return "certfile " + cert + "\nkeyfile " + key + "\n";
    }

    private static String file(String name, String text) throws IOException {
        return TestCertificates.write(Files.createTempDirectory("tls").resolve(name), text).toString();
    }

    /** As an environment variable or -D option carries PEM: one line, \n escapes. */
    private static String escaped(String pem) {
        return pem.replace("\n", "\\n");
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
