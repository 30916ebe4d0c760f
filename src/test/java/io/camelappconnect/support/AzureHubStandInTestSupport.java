package io.camelappconnect.support;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;

/**
 * What the Azure IoT Hub stand-in's tests share: the hub started for each test, one device connecting to it as a
 * real MQTT 3.1.1 client over TLS (HiveMQ's, as the bridge uses), and SAS tokens made with javax.crypto as
 * Microsoft's documentation makes them.
 */
@Timeout(value = 60, unit = SECONDS)
abstract class AzureHubStandInTestSupport {

    static final String HUB = "stand-in-hub.azure-devices.net";
    static final String DEVICE = "conduit-00-80-00-00-a0-00-12-34";
    static final String RESOURCE = HUB + "/devices/" + DEVICE;
    static final String USERNAME = HUB + "/" + DEVICE + "/?api-version=2021-04-12";
    static final String EVENTS = "devices/" + DEVICE + "/messages/events/";
    static final byte[] KEY = Base64.getDecoder().decode(TestSecrets.AZURE_DEVICE_KEY);
    static final Duration WAIT = Duration.ofSeconds(10);

    AzureHubStandIn hub;
    Mqtt3AsyncClient device;
    /** When the device's connection went down, epoch ms; 0 while up. */
    final AtomicLong disconnectedAt = new AtomicLong();

    @BeforeEach
    void startHub() {
        hub = AzureHubStandIn.start(HUB, DEVICE, KEY);
    }

    @AfterEach
    void stop() {
        if (device != null && device.getState().isConnected()) {
            device.disconnect().orTimeout(5, SECONDS).exceptionally(e -> null).join();
        }
        hub.close();
    }

    void connectForAnHour() throws Exception {
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, Instant.now().plusSeconds(3600).getEpochSecond())).get();
    }

    CompletableFuture<?> connect(String clientId, String username, String token) {
        device = Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(hub.port())
                .sslConfig().trustManagerFactory(trust(hub.caPem())).applySslConfig()
                .addDisconnectedListener(context -> disconnectedAt.compareAndSet(0, System.currentTimeMillis()))
                .buildAsync();
        return device.connectWith().cleanSession(true).keepAlive(30).simpleAuth().username(username)
                .password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().orTimeout(10, SECONDS);
    }

    CompletableFuture<Mqtt3Publish> publish(String topic, MqttQos qos, boolean retain, byte[] payload) {
        return device.publishWith().topic(topic).qos(qos).retain(retain).payload(payload).send().orTimeout(10, SECONDS);
    }

    void assertRefused(String clientId, String username, String token, String reason) {
        int before = hub.refusals().size();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> connect(clientId, username, token).get());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED,
                assertInstanceOf(Mqtt3ConnAckException.class, refused.getCause()).getMqttMessage().getReturnCode());
        assertEquals(before + 1, hub.refusals().size());
        assertTrue(hub.refusals().get(before).contains(reason), hub.refusals().get(before));
        assertEquals(0, hub.connectionsAccepted());
    }

    void assertClosed(CompletableFuture<Mqtt3Publish> sent, String reason) {
        await().atMost(WAIT).until(() -> disconnectedAt.get() != 0);
        assertThrows(ExecutionException.class, () -> sent.get(WAIT.toSeconds(), SECONDS), "no PUBACK");
        assertEquals(1, hub.closures().size(), hub.closures().toString());
        assertTrue(hub.closures().get(0).contains(reason), hub.closures().get(0));
    }

    /** A SAS token as Microsoft's documentation makes it: the URL-encoded resource URI signed, and in sr. */
    static String token(String resource, byte[] key, long expiry) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        return "SharedAccessSignature sr=" + sr + "&sig="
                + URLEncoder.encode(signature(key, sr + "\n" + expiry), StandardCharsets.UTF_8) + "&se=" + expiry;
    }

    static String signature(byte[] key, String toSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String sig = Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
            TestSecrets.register("a SAS token's signature", URLEncoder.encode(sig, StandardCharsets.UTF_8));
            return TestSecrets.register("a SAS token's signature (URL-decoded)", sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TrustManagerFactory trust(String caPem) {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("hub-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
