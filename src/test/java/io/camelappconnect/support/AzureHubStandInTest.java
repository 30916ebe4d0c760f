package io.camelappconnect.support;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;

/**
 * The Azure IoT Hub stand-in enforces the hub's rules (behaviour.md 12), seen by a real MQTT 3.1.1 client over TLS
 * (HiveMQ's, as the bridge uses), with SAS tokens made here with javax.crypto as Microsoft's documentation makes them.
 */
@Timeout(value = 60, unit = SECONDS)
class AzureHubStandInTest {

    private static final String HUB = "stand-in-hub.azure-devices.net";
    private static final String DEVICE = "conduit-00-80-00-00-a0-00-12-34";
    private static final String RESOURCE = HUB + "/devices/" + DEVICE;
    private static final String USERNAME = HUB + "/" + DEVICE + "/?api-version=2021-04-12";
    private static final String EVENTS = "devices/" + DEVICE + "/messages/events/";
    private static final byte[] KEY = Base64.getDecoder().decode(TestSecrets.AZURE_DEVICE_KEY);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private AzureHubStandIn hub;
    private Mqtt3AsyncClient device;
    /** When the device's connection went down, epoch ms; 0 while up. */
    private final AtomicLong disconnectedAt = new AtomicLong();

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

    @Test
    void aGoodTokenConnectsAndAD2cMessageArrivesWithItsPropertiesDecoded() throws Exception {
        Instant expiry = Instant.now().plusSeconds(3600);
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, expiry.getEpochSecond())).get();

        String bag = "event=up&deveui=00-80-00-00-00-00-ab-cd&%24.ct=application%2Fjson&note=a%20b%26c";
        publish(EVENTS + bag, MqttQos.AT_LEAST_ONCE, false, "{\"port\":1}".getBytes(StandardCharsets.UTF_8)).get();

        AzureHubStandIn.D2c message = hub.awaitD2c(1, WAIT).get(0);
        assertEquals(EVENTS + bag, message.topic());
        assertEquals(List.of(Map.entry("event", "up"), Map.entry("deveui", "00-80-00-00-00-00-ab-cd"),
                Map.entry("$.ct", "application/json"), Map.entry("note", "a b&c")),
                List.copyOf(message.properties().entrySet()));
        assertEquals("{\"port\":1}", message.text());
        assertEquals(1, hub.connectionsAccepted());
        assertEquals(List.of(new AzureHubStandIn.Token(Instant.ofEpochSecond(expiry.getEpochSecond()), true)),
                hub.tokens());
        assertEquals(List.of(), hub.closures());
    }

    @Test
    void aTokenSignedOverTheRawResourceUriAsAzuresJavaSdkMakesItConnectsToo() throws Exception {
        long se = Instant.now().plusSeconds(600).getEpochSecond();
        String sig = signature(KEY, RESOURCE + "\n" + se);
        connect(DEVICE, USERNAME, "SharedAccessSignature sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&se=" + se + "&sr=" + RESOURCE).get();
        assertEquals(1, hub.connectionsAccepted());
    }

    @Test
    void aWrongKeyIsRefused() {
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertRefused(DEVICE, USERNAME, token(RESOURCE, otherKey, Instant.now().plusSeconds(600).getEpochSecond()),
                "signature does not match");
    }

    @Test
    void aTokenForAnotherResourceIsRefused() {
        assertRefused(DEVICE, USERNAME, token(HUB + "/devices/another", KEY,
                Instant.now().plusSeconds(600).getEpochSecond()), "for resource '" + HUB + "/devices/another'");
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertRefused(DEVICE, USERNAME, token(RESOURCE, KEY, Instant.now().minusSeconds(5).getEpochSecond()),
                "expired");
        assertEquals(1, hub.tokens().size());
        assertFalse(hub.tokens().get(0).accepted());
    }

    @Test
    void aClientIdOrUsernameOtherThanTheDevicesIsRefused() {
        String token = token(RESOURCE, KEY, Instant.now().plusSeconds(600).getEpochSecond());
        assertRefused("another", USERNAME, token, "client id 'another'");
        assertRefused(DEVICE, HUB + "/" + DEVICE, token, "username");
    }

    @Test
    void aPublishToATopicOutsideTheDevicesClosesTheConnection() throws Exception {
        connectForAnHour();
        CompletableFuture<Mqtt3Publish> sent = publish("lorawan/00-11/up", MqttQos.AT_LEAST_ONCE, false, new byte[1]);
        assertClosed(sent, "publish to lorawan/00-11/up");
    }

    @Test
    void aPublishAtQos2ClosesTheConnection() throws Exception {
        connectForAnHour();
        assertClosed(publish(EVENTS, MqttQos.EXACTLY_ONCE, false, new byte[1]), "QoS 2 on " + EVENTS);
    }

    @Test
    void aD2cMessageOver256KbClosesTheConnection() throws Exception {
        connectForAnHour();
        publish(EVENTS, MqttQos.AT_LEAST_ONCE, false, new byte[256 * 1024]).get();
        assertClosed(publish(EVENTS, MqttQos.AT_LEAST_ONCE, false, new byte[256 * 1024 + 1]), "over 256 KB");
        assertEquals(1, hub.d2c().size());
    }

    @Test
    void aRetainedPublishArrivesNotRetainedButMarkedAsTheHubMarksIt() throws Exception {
        connectForAnHour();
        publish(EVENTS + "event=up", MqttQos.AT_LEAST_ONCE, true, new byte[] {7}).get();
        assertEquals(List.of(Map.entry("event", "up"), Map.entry("mqtt-retain", "true")),
                List.copyOf(hub.awaitD2c(1, WAIT).get(0).properties().entrySet()));
        assertTrue(device.getState().isConnected());
    }

    @Test
    void aTokenThatExpiresTwoSecondsAfterConnectGetsTheConnectionClosedAtItsExpiry() throws Exception {
        long se = Instant.now().plusSeconds(3).getEpochSecond();
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, se)).get();
        await().atMost(WAIT).until(() -> disconnectedAt.get() != 0);
        assertTrue(disconnectedAt.get() >= se * 1000, "closed " + (se * 1000 - disconnectedAt.get()) + " ms early");
        await().atMost(WAIT).until(() -> hub.closures().equals(List.of("token expired at " + Instant.ofEpochSecond(se))));
    }

    @Test
    void aReconnectWithAFreshTokenIsNotClosedAtTheOldTokensExpiry() throws Exception {
        long se = Instant.now().plusSeconds(3).getEpochSecond();
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, se)).get();
        device.disconnect().get(10, SECONDS);
        connectForAnHour();
        Duration pastOldExpiry = Duration.ofMillis(se * 1000 + 1000 - System.currentTimeMillis());
        await().during(pastOldExpiry).atMost(pastOldExpiry.plus(WAIT)).until(() -> device.getState().isConnected());
        assertEquals(2, hub.connectionsAccepted());
        assertEquals(List.of(), hub.closures());
    }

    @Test
    void aSubscriptionOutsideTheDevicesTopicsGetsASubackFailure() throws Exception {
        connectForAnHour();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> device.subscribeWith().topicFilter(EVENTS + "#").callback(p -> { }).send().get());
        assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE),
                assertInstanceOf(Mqtt3SubAckException.class, refused.getCause()).getMqttMessage().getReturnCodes());
        assertEquals(List.of(EVENTS + "#"), hub.refusedSubscriptions());
        assertTrue(device.getState().isConnected());
    }

    @Test
    void aC2dMessageReachesTheSubscribedDevice() throws Exception {
        connectForAnHour();
        BlockingQueue<Mqtt3Publish> received = new LinkedBlockingQueue<>();
        assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1),
                device.subscribeWith().topicFilter("devices/" + DEVICE + "/messages/devicebound/#")
                        .qos(MqttQos.AT_LEAST_ONCE).callback(received::add).send().get().getReturnCodes());

        hub.sendC2d(Map.of("deveui", "00-80-00-00-00-00-ab-cd", "note", "a b"), "{\"data\":\"AQI=\"}".getBytes(StandardCharsets.UTF_8));

        Mqtt3Publish c2d = received.poll(WAIT.toSeconds(), SECONDS);
        assertNotNull(c2d, "no C2D message in " + WAIT);
        String prefix = "devices/" + DEVICE + "/messages/devicebound/";
        String topic = c2d.getTopic().toString();
        assertTrue(topic.startsWith(prefix), topic);
        Map<String, String> properties = PropertyBag.decodeBag(topic.substring(prefix.length()));
        assertEquals(List.of("$.mid", "$.to"), List.copyOf(properties.keySet()).subList(0, 2), "the hub's first");
        assertEquals(4, properties.size(), properties.toString());
        assertEquals("/devices/" + DEVICE + "/messages/deviceBound", properties.get("$.to"));
        assertEquals("00-80-00-00-00-00-ab-cd", properties.get("deveui"));
        assertEquals("a b", properties.get("note"));
        assertArrayEquals("{\"data\":\"AQI=\"}".getBytes(StandardCharsets.UTF_8), c2d.getPayloadAsBytes());
    }

    @Test
    void aMethodInvokedIsAnsweredWithTheDevicesStatusAndBody() throws Exception {
        assertEquals(404, hub.invokeMethod("down", "{}", WAIT).status(), "device not online");
        connectForAnHour();
        Pattern request = Pattern.compile("\\$iothub/methods/POST/([^/]+)/\\?\\$rid=(.+)");
        device.subscribeWith().topicFilter("$iothub/methods/POST/#").callback(p -> {
            Matcher m = request.matcher(p.getTopic().toString());
            if (m.matches() && !m.group(1).equals("slow")) {
                int status = m.group(1).equals("down") ? 200 : 403;
                String body = "{\"method\":\"" + m.group(1) + "\",\"got\":"
                        + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8) + "}";
                publish("$iothub/methods/res/" + status + "/?$rid=" + m.group(2), MqttQos.AT_MOST_ONCE, false,
                        body.getBytes(StandardCharsets.UTF_8));
            }
        }).send().get();

        assertEquals(new AzureHubStandIn.MethodResult(200, "{\"method\":\"down\",\"got\":{\"deveui\":\"00-11\"}}"),
                hub.invokeMethod("down", "{\"deveui\":\"00-11\"}", WAIT));
        assertEquals(403, hub.invokeMethod("log_req", "{}", WAIT).status());
        assertEquals(504, hub.invokeMethod("slow", "{}", Duration.ofSeconds(1)).status());
        assertEquals(0, hub.strayMethodAnswers());
        assertTrue(device.getState().isConnected());
    }

    private void connectForAnHour() throws Exception {
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, Instant.now().plusSeconds(3600).getEpochSecond())).get();
    }

    private CompletableFuture<?> connect(String clientId, String username, String token) {
        device = Mqtt3Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(hub.port())
                .sslConfig().trustManagerFactory(trust(hub.caPem())).applySslConfig()
                .addDisconnectedListener(context -> disconnectedAt.compareAndSet(0, System.currentTimeMillis()))
                .buildAsync();
        return device.connectWith().cleanSession(true).keepAlive(30).simpleAuth().username(username)
                .password(token.getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send().orTimeout(10, SECONDS);
    }

    private CompletableFuture<Mqtt3Publish> publish(String topic, MqttQos qos, boolean retain, byte[] payload) {
        return device.publishWith().topic(topic).qos(qos).retain(retain).payload(payload).send().orTimeout(10, SECONDS);
    }

    private void assertRefused(String clientId, String username, String token, String reason) {
        int before = hub.refusals().size();
        ExecutionException refused = assertThrows(ExecutionException.class, () -> connect(clientId, username, token).get());
        assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED,
                assertInstanceOf(Mqtt3ConnAckException.class, refused.getCause()).getMqttMessage().getReturnCode());
        assertEquals(before + 1, hub.refusals().size());
        assertTrue(hub.refusals().get(before).contains(reason), hub.refusals().get(before));
        assertEquals(0, hub.connectionsAccepted());
    }

    private void assertClosed(CompletableFuture<Mqtt3Publish> sent, String reason) {
        await().atMost(WAIT).until(() -> disconnectedAt.get() != 0);
        assertThrows(ExecutionException.class, () -> sent.get(WAIT.toSeconds(), SECONDS), "no PUBACK");
        assertEquals(1, hub.closures().size(), hub.closures().toString());
        assertTrue(hub.closures().get(0).contains(reason), hub.closures().get(0));
    }

    /** A SAS token as Microsoft's documentation makes it: the URL-encoded resource URI signed, and in sr. */
    private static String token(String resource, byte[] key, long expiry) {
        String sr = URLEncoder.encode(resource, StandardCharsets.UTF_8);
        return "SharedAccessSignature sr=" + sr + "&sig="
                + URLEncoder.encode(signature(key, sr + "\n" + expiry), StandardCharsets.UTF_8) + "&se=" + expiry;
    }

    private static String signature(byte[] key, String toSign) {
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
