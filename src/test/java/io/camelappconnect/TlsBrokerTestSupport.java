package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.TestCertificates.dns;
import static io.camelappconnect.support.TestCertificates.ip;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What Behaviour3TlsTest's cases share: one Mosquitto with the TLS listeners they connect to (certificates made
 * here), and the bridge started per test as a gateway starts it, with that test's TLS settings.
 */
abstract class TlsBrokerTestSupport {

    static final String USER = "gateway-7";
    static final String PASSWORD = TestSecrets.BROKER_PASSWORD;

    static Issued ca;
    static Issued rsaClient;
    static Issued ecClient;
    static Mosquitto broker;
    static int wrongNamePort;
    static int expiredPort;
    static int passwordPort;
    static int plainPort;

    Main bridge;
    LogCapture log;

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

    static Map<String, String> clientTls() {
        return Map.of("app.options.server_cert", ca.certificatePem(), "app.options.client_cert",
                rsaClient.certificatePem(), "app.options.apikey", rsaClient.pkcs8KeyPem());
    }

    void start(String cloudUrl, Map<String, String> settings) throws Exception {
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

    MqttConnection cloud() {
        return bridge.getCamelContext().getComponent("cloud", MqttComponent.class).connection();
    }

    /** The proof of a working connection: an uplink from the LNS side reaches the cloud side. */
    void assertUplinkArrives(String dev) {
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

    static String file(String name, String text) throws IOException {
        return TestCertificates.write(Files.createTempDirectory("tls").resolve(name), text).toString();
    }

    /** As an environment variable or -D option carries PEM: one line, \n escapes. */
    static String escaped(String pem) {
        return pem.replace("\n", "\\n");
    }

    static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
