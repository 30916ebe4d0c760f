package io.camelappconnect.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.awaitility.Awaitility;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import com.hivemq.extension.sdk.api.services.subscription.SubscriptionStore;
import com.hivemq.extension.sdk.api.services.subscription.TopicSubscription;

/**
 * Azure IoT Hub as one device sees it, for tests: HiveMQ Community Edition embedded, with an extension of its own
 * that enforces the hub's rules (behaviour.md 12; Microsoft's "Communicate with an IoT hub using the MQTT protocol"
 * and "Control access to IoT Hub with SAS tokens"), and the service side (D2C messages read, C2D messages sent,
 * direct methods invoked) as methods a test calls. One device, {@code deviceId} on hub {@code hostName}.
 *
 * <p>Enforced, as the hub does:
 * <ul>
 * <li>TLS only (no plain listener), on a free loopback port (and WebSocket over TLS on another, path
 * {@code /$iothub/websocket}), with a server certificate for {@code hostName} and
 * 127.0.0.1 issued by a CA of its own ({@link #caPem()}, for app.options.server_cert).</li>
 * <li>CONNECT: client id = device id; username exactly {@code {hostName}/{deviceId}/?api-version=2021-04-12}; password
 * a SAS token {@code SharedAccessSignature sr=..&sig=..&se=..} (fields in any order) whose {@code sr}, URL-decoded,
 * is {@code {hostName}/devices/{deviceId}}, whose {@code sig} is base64(HMAC-SHA256(device key, sr + "\n" + se)) over
 * {@code sr} as written in the token (so both the URL-encoded form Microsoft's documentation signs and the raw form
 * github:Azure/azure-iot-sdk-java signs pass, as they do at the hub), and whose {@code se} is still to come. Anything
 * else: CONNACK "not authorized", counted with its reason ({@link #refusals()}).</li>
 * <li>A connection is closed when its token expires ({@code se} plus {@link #expiryGrace(Duration)}, default 0; the
 * hub's grace is minutes); a reconnect with a new token is a new connection with its own deadline.</li>
 * <li>PUBLISH: to {@code devices/{id}/messages/events/} (anything after it; the property bag is what follows the last
 * slash, URL-decoded) or {@code $iothub/methods/res/{status}/?$rid={rid}} only, at QoS 0 or 1. Anything else, QoS 2,
 * a property bag that does not URL-decode, a D2C message over 256 KB (payload plus property bag) or a method answer
 * over 128 KB closes the connection with no PUBACK (counted with the reason, {@link #closures()}). Retain is never
 * stored: a retained D2C message arrives with the application property {@code mqtt-retain=true}, as at the hub.
 * Nothing a device publishes reaches another MQTT subscriber; it reaches the service side.</li>
 * <li>SUBSCRIBE: {@code devices/{id}/messages/devicebound/#} and {@code $iothub/methods/POST/#} only; any other filter
 * gets a SUBACK failure (counted, {@link #refusedSubscriptions()}).</li>
 * <li>One connection per device id: a second drops the first (HiveMQ's client takeover).</li>
 * <li>C2D messages at most 64 KB and method requests at most 128 KB (the service side refuses larger). A C2D topic
 * carries {@code $.mid} and {@code $.to} before the test's properties, as the hub's does. A method invoked while the
 * device is not connected or not subscribed to methods is answered 404 at once; one not answered in time, 504.</li>
 * </ul>
 *
 * <p>Not enforced (the bridge does not rely on them, or a test would not notice): X.509 authentication (no token is
 * a refusal), other api-versions or extra username parameters (refused, though the hub takes them),
 * twin topics (refused, though the hub serves them), keepalive over 1177 s, subscription QoS 2 (granted), will
 * messages (taken and delivered to no one), rate and daily quotas, case-insensitive host names. What the hub does
 * with a method answer over 128 KB is not documented; the stand-in closes the connection. A space in a property
 * bag is {@code %20}: {@code +} is MQTT's wildcard, which no topic may hold (HiveMQ closes the connection of a
 * client that publishes one, and a client library refuses it before).
 *
 * <p>Each signature seen is registered with {@link TestSecrets}, so no log line after the connect may hold it.
 * Services are taken at the broker's start: HiveMQ's {@link Services} is one static for all embedded brokers of the
 * JVM, so a {@link HiveMq} started later does not take this one's over.
 */
public final class AzureHubStandIn implements AutoCloseable {

    public static final String API_VERSION = "2021-04-12";
    static final int MAX_D2C_BYTES = 256 * 1024;
    static final int MAX_METHOD_BYTES = 128 * 1024;
    static final int MAX_C2D_BYTES = 64 * 1024;
    private static final Pattern METHOD_ANSWER = Pattern.compile("\\$iothub/methods/res/(\\d{1,3})/\\?\\$rid=([^&/]+)");
    private static final String KEYSTORE_PASSWORD = "stand-in";

    /** A device-to-cloud message as the service reads it. */
    public record D2c(String topic, Map<String, String> properties, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** A direct method's result as the service gets it. */
    public record MethodResult(int status, String body) {
    }

    /** A SAS token presented at a CONNECT with a readable expiry, and whether the connect was taken. */
    public record Token(Instant expiry, boolean accepted) {
    }

    private final String hostName;
    private final String deviceId;
    private final byte[] deviceKey;
    private final int port = EmbeddedBroker.freePort();
    private final int webSocketPort = EmbeddedBroker.freePort();
    private final TestCertificates.Issued ca = TestCertificates.ca("Azure IoT Hub stand-in CA");
    private final Path dir;
    private final String eventsPrefix;
    private final String deviceboundFilter;
    private final String methodsFilter = "$iothub/methods/POST/#";
    private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "azure-stand-in-expiry");
        t.setDaemon(true);
        return t;
    });
    private final List<D2c> d2c = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<String> closures = new CopyOnWriteArrayList<>();
    private final List<String> refusedSubscriptions = new CopyOnWriteArrayList<>();
    private final List<Token> tokens = new CopyOnWriteArrayList<>();
    private final AtomicInteger strayAnswers = new AtomicInteger();
    /** The accepted connection whose token deadline counts; an older one's deadline passes without effect. */
    private final AtomicLong connection = new AtomicLong();
    private final AtomicInteger rids = new AtomicInteger();
    private final Map<String, CompletableFuture<MethodResult>> pending = new ConcurrentHashMap<>();
    private volatile Duration expiryGrace = Duration.ZERO;
    private volatile ClientService clients;
    private volatile PublishService publisher;
    private volatile SubscriptionStore subscriptions;
    private EmbeddedHiveMQ broker;

    private AzureHubStandIn(String hostName, String deviceId, byte[] deviceKey) throws IOException {
        this.hostName = hostName;
        this.deviceId = deviceId;
        this.deviceKey = deviceKey.clone();
        this.eventsPrefix = "devices/" + deviceId + "/messages/events/";
        this.deviceboundFilter = "devices/" + deviceId + "/messages/devicebound/#";
        dir = Files.createTempDirectory("azure-hub");
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("extensions")); // else HiveMQ WARNs that it can't use the folder
        Path keystore = writeKeystore(dir.resolve("hub.jks"));
        Files.writeString(dir.resolve("conf/config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%d</port><bind-address>127.0.0.1</bind-address>
                            <tls><keystore><path>%s</path><password>%s</password>
                                <private-key-password>%s</private-key-password></keystore></tls>
                        </tls-tcp-listener>
                        <tls-websocket-listener>
                            <port>%d</port><bind-address>127.0.0.1</bind-address><path>/$iothub/websocket</path>
                            <tls><keystore><path>%s</path><password>%s</password>
                                <private-key-password>%s</private-key-password></keystore></tls>
                        </tls-websocket-listener>
                    </listeners>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, keystore, KEYSTORE_PASSWORD, KEYSTORE_PASSWORD, webSocketPort, keystore,
                KEYSTORE_PASSWORD, KEYSTORE_PASSWORD));
    }

    /** Starts the hub for one device whose key (the base64-decoded device key) signs its SAS tokens. */
    public static AzureHubStandIn start(String hostName, String deviceId, byte[] deviceKey) {
        try {
            AzureHubStandIn hub = new AzureHubStandIn(hostName, deviceId, deviceKey);
            hub.broker = EmbeddedHiveMQ.builder().withConfigurationFolder(hub.dir.resolve("conf"))
                    .withDataFolder(hub.dir.resolve("data")).withExtensionsFolder(hub.dir.resolve("extensions"))
                    .withoutLoggingBootstrap()
                    .withEmbeddedExtension(EmbeddedExtension.builder().withId("azure-hub-rules")
                            .withName("Azure IoT Hub's rules").withVersion("1").withAuthor("tests").withPriority(0)
                            .withStartPriority(1000).withExtensionMain(hub.new Rules()).build())
                    .build();
            hub.broker.start().get(60, TimeUnit.SECONDS);
            return hub;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("the Azure IoT Hub stand-in did not start: " + e, e);
        }
    }

    /** TLS, as the hub takes nothing else; the port is a free one, not 8883. */
    public String url() {
        return "mqtts://127.0.0.1:" + port;
    }

    /** MQTT over WebSocket and TLS, as the hub's 443 serves it (path /$iothub/websocket, which the URL leaves out). */
    public String webSocketUrl() {
        return "wss://127.0.0.1:" + webSocketPort;
    }

    public int port() {
        return port;
    }

    /** The CA of the hub's server certificate, PEM. */
    public String caPem() {
        return ca.certificatePem();
    }

    public String hostName() {
        return hostName;
    }

    public String deviceId() {
        return deviceId;
    }

    /** How long after its token's expiry a connection is closed; default 0. */
    public AzureHubStandIn expiryGrace(Duration grace) {
        expiryGrace = grace;
        return this;
    }

    /** The D2C messages received, in order. */
    public List<D2c> d2c() {
        return List.copyOf(d2c);
    }

    /** The D2C messages received once there are at least {@code n}, waiting up to {@code deadline}. */
    public List<D2c> awaitD2c(int n, Duration deadline) {
        Awaitility.await("%d D2C messages at the hub".formatted(n)).atMost(deadline).until(() -> d2c.size() >= n);
        return d2c();
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Why each refused CONNECT was refused. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** Why each connection the rules closed was closed (a breach, or its token's expiry). */
    public List<String> closures() {
        return List.copyOf(closures);
    }

    /** The topic filters that got a SUBACK failure. */
    public List<String> refusedSubscriptions() {
        return List.copyOf(refusedSubscriptions);
    }

    public List<Token> tokens() {
        return List.copyOf(tokens);
    }

    /** Method answers with a $rid no invocation waits for (unknown, or after its timeout). */
    public int strayMethodAnswers() {
        return strayAnswers.get();
    }

    /** Sends a C2D message to devices/{id}/messages/devicebound/{property bag}; the hub queues it for the device. */
    public void sendC2d(Map<String, String> properties, byte[] body) {
        if (body.length > MAX_C2D_BYTES) {
            throw new IllegalArgumentException("a C2D message is at most 64 KB, not " + body.length + " bytes");
        }
        Map<String, String> bag = new LinkedHashMap<>();
        bag.put("$.mid", UUID.randomUUID().toString());
        bag.put("$.to", "/devices/" + deviceId + "/messages/deviceBound");
        bag.putAll(properties);
        String encoded = bag.entrySet().stream()
                .map(p -> encode(p.getKey()) + "=" + encode(p.getValue())).collect(Collectors.joining("&"));
        publish("devices/" + deviceId + "/messages/devicebound/" + encoded, Qos.AT_LEAST_ONCE, body);
    }

    /**
     * Invokes a direct method as the service does: the request on $iothub/methods/POST/{name}/?$rid={n} (QoS 0),
     * the device's answer on $iothub/methods/res/{status}/?$rid={n}. 404 when the device can't take methods now,
     * 504 when no answer comes within {@code timeout}.
     */
    public MethodResult invokeMethod(String name, String jsonPayload, Duration timeout) {
        byte[] body = jsonPayload.getBytes(StandardCharsets.UTF_8);
        if (body.length > MAX_METHOD_BYTES) {
            throw new IllegalArgumentException("a method's payload is at most 128 KB, not " + body.length + " bytes");
        }
        if (!takesMethods()) {
            return new MethodResult(404, "{\"errorCode\":404103,\"message\":\"The device is not online.\"}");
        }
        String rid = Integer.toString(rids.incrementAndGet());
        CompletableFuture<MethodResult> answer = new CompletableFuture<>();
        pending.put(rid, answer);
        try {
            publish("$iothub/methods/POST/" + name + "/?$rid=" + rid, Qos.AT_MOST_ONCE, body);
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new MethodResult(504, "{\"errorCode\":504101,\"message\":\"Timed out waiting for the response"
                    + " from device.\"}");
        } catch (Exception e) {
            throw new IllegalStateException("invoking method " + name + ": " + e, e);
        } finally {
            pending.remove(rid);
        }
    }

    @Override
    public void close() {
        expiries.shutdownNow();
        if (broker != null) {
            try {
                broker.stop().get(30, TimeUnit.SECONDS);
                broker.close();
            } catch (Exception e) {
                throw new IllegalStateException("the Azure IoT Hub stand-in did not stop: " + e, e);
            }
            broker = null;
        }
    }

    /** Whether the device is connected and subscribed to its methods, so that a method invoked now reaches it. */
    public boolean takesMethods() {
        try {
            return clients.isClientConnected(deviceId).get(10, TimeUnit.SECONDS)
                    && subscriptions.getSubscriptions(deviceId).get(10, TimeUnit.SECONDS).stream()
                    .map(TopicSubscription::getTopicFilter).anyMatch(methodsFilter::equals);
        } catch (Exception e) {
            throw new IllegalStateException("asking HiveMQ about the device: " + e, e);
        }
    }

    private void publish(String topic, Qos qos, byte[] body) {
        try {
            publisher.publish(Builders.publish().topic(topic).qos(qos).payload(ByteBuffer.wrap(body)).build())
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("publishing to the device: " + e, e);
        }
    }

    private Path writeKeystore(Path file) {
        TestCertificates.Issued server = ca.issue(hostName, TestCertificates.ec(), TestCertificates.Validity.now(),
                KeyPurposeId.id_kp_serverAuth, TestCertificates.dns(hostName), TestCertificates.ip("127.0.0.1"));
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore keys = KeyStore.getInstance("JKS");
            keys.load(null, null);
            keys.setKeyEntry("hub", server.keys().getPrivate(), KEYSTORE_PASSWORD.toCharArray(),
                    new X509Certificate[] {server.certificate(), ca.certificate()});
            keys.store(out, KEYSTORE_PASSWORD.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** URL-encoded with a space as %20: URLEncoder's '+' is MQTT's wildcard, which no topic may hold. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** A property bag ({@code k=v&k2=v2}, URL-encoded) as a map; a key without {@code =} has an empty value. */
    static Map<String, String> decodeBag(String bag) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : bag.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                properties.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Collections.unmodifiableMap(properties);
    }

    /** The hub's side of the MQTT connection. */
    private final class Rules implements ExtensionMain {

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            clients = Services.clientService();
            publisher = Services.publishService();
            subscriptions = Services.subscriptionStore();
            Services.securityRegistry().setAuthenticatorProvider(in -> (SimpleAuthenticator) this::authenticate);
            Services.securityRegistry().setAuthorizerProvider(in -> (SubscriptionAuthorizer) this::authorize);
            PublishInboundInterceptor interceptor = this::inbound;
            Services.initializerRegistry().setClientInitializer(
                    (in, context) -> context.addPublishInboundInterceptor(interceptor));
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }

        private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
            ConnectPacket connect = input.getConnectPacket();
            String username = hostName + "/" + deviceId + "/?api-version=" + API_VERSION;
            Checked checked;
            if (!connect.getClientId().equals(deviceId)) {
                checked = new Checked("client id '" + connect.getClientId() + "' is not the device id", null);
            } else if (!username.equals(connect.getUserName().orElse(null))) {
                checked = new Checked("username '" + connect.getUserName().orElse("") + "' is not '" + username + "'",
                        null);
            } else if (connect.getPassword().isEmpty()) {
                checked = new Checked("no SAS token as password (X.509 is not served)", null);
            } else {
                try {
                    checked = check(StandardCharsets.UTF_8.decode(connect.getPassword().get()).toString());
                } catch (IllegalArgumentException e) {
                    checked = new Checked("SAS token that does not URL-decode", null);
                }
            }
            if (checked.expiry() != null) {
                tokens.add(new Token(checked.expiry(), checked.refusal() == null));
            }
            if (checked.refusal() != null) {
                refusals.add(checked.refusal());
                output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, checked.refusal());
                return;
            }
            Instant expiry = checked.expiry();
            long serial = connection.incrementAndGet();
            accepted.incrementAndGet();
            long delay = Duration.between(Instant.now(), expiry.plus(expiryGrace)).toMillis();
            expiries.schedule(() -> {
                if (connection.get() == serial) {
                    clients.disconnectClient(deviceId).thenAccept(closed -> {
                        if (closed) {
                            closures.add("token expired at " + expiry);
                        }
                    });
                }
            }, Math.max(0, delay), TimeUnit.MILLISECONDS);
            output.authenticateSuccessfully();
        }

        /** A token's verdict: why it is refused (null when good), and its expiry when it has a readable one. */
        private record Checked(String refusal, Instant expiry) {
        }

        private Checked check(String password) {
            String prefix = "SharedAccessSignature ";
            if (!password.startsWith(prefix)) {
                return new Checked("password is not a SAS token", null);
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : password.substring(prefix.length()).split("&")) {
                int eq = field.indexOf('=');
                fields.put(eq < 0 ? field : field.substring(0, eq), eq < 0 ? "" : field.substring(eq + 1));
            }
            String sr = fields.get("sr");
            String sig = fields.get("sig");
            String se = fields.get("se");
            if (sr == null || sig == null || se == null || !se.matches("\\d{1,12}")) {
                return new Checked("SAS token without sr, sig or a numeric se", null);
            }
            TestSecrets.register("a SAS token's signature", sig);
            TestSecrets.register("a SAS token's signature (URL-decoded)", decode(sig));
            Instant expiry = Instant.ofEpochSecond(Long.parseLong(se));
            String resource = hostName + "/devices/" + deviceId;
            if (!decode(sr).equals(resource)) {
                return new Checked("SAS token for resource '" + decode(sr) + "', not '" + resource + "'", expiry);
            }
            if (!MessageDigest.isEqual(decode(sig).getBytes(StandardCharsets.UTF_8),
                    signature(sr + "\n" + se).getBytes(StandardCharsets.UTF_8))) {
                return new Checked("SAS token signature does not match the device key", expiry);
            }
            if (!expiry.isAfter(Instant.now())) {
                return new Checked("SAS token expired at " + expiry, expiry);
            }
            return new Checked(null, expiry);
        }

        private String signature(String toSign) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(deviceKey, "HmacSHA256"));
                return Base64.getEncoder().encodeToString(mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private void authorize(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
            String filter = input.getSubscription().getTopicFilter();
            if (Set.of(deviceboundFilter, methodsFilter).contains(filter)) {
                output.authorizeSuccessfully();
            } else {
                refusedSubscriptions.add(filter);
                output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not a topic filter of the device's");
            }
        }

        /** Every publish of a device ends here: taken by the service side, or the connection closed. */
        private void inbound(PublishInboundInput input, PublishInboundOutput output) {
            PublishPacket publish = input.getPublishPacket();
            String breach = breach(publish);
            if (breach == null) {
                output.preventPublishDelivery(); // a PUBACK, and no MQTT subscriber gets it
            } else {
                closures.add(breach);
                output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, breach); // MQTT 3.1.1: disconnected
            }
        }

        /** Why this publish breaks the hub's rules, or null once the service side has taken it. */
        private String breach(PublishPacket publish) {
            String topic = publish.getTopic();
            if (publish.getQos() == Qos.EXACTLY_ONCE) {
                return "QoS 2 on " + topic;
            }
            byte[] payload = publish.getPayload().map(b -> {
                byte[] bytes = new byte[b.remaining()];
                b.duplicate().get(bytes);
                return bytes;
            }).orElse(new byte[0]);
            Matcher answer = METHOD_ANSWER.matcher(topic);
            if (topic.startsWith(eventsPrefix)) {
                String bag = topic.substring(topic.lastIndexOf('/') + 1);
                if (payload.length + bag.length() > MAX_D2C_BYTES) {
                    return "D2C message of " + (payload.length + bag.length()) + " bytes, over 256 KB";
                }
                Map<String, String> properties;
                try {
                    properties = decodeBag(bag);
                } catch (IllegalArgumentException e) {
                    return "property bag that does not URL-decode on " + topic;
                }
                if (publish.getRetain()) {
                    Map<String, String> withRetain = new LinkedHashMap<>(properties);
                    withRetain.put("mqtt-retain", "true");
                    properties = Collections.unmodifiableMap(withRetain);
                }
                d2c.add(new D2c(topic, properties, payload));
                return null;
            }
            if (answer.matches()) {
                if (payload.length > MAX_METHOD_BYTES) {
                    return "method answer of " + payload.length + " bytes, over 128 KB";
                }
                CompletableFuture<MethodResult> waiting = pending.remove(answer.group(2));
                if (waiting == null) {
                    strayAnswers.incrementAndGet();
                } else {
                    waiting.complete(new MethodResult(Integer.parseInt(answer.group(1)),
                            new String(payload, StandardCharsets.UTF_8)));
                }
                return null;
            }
            return "publish to " + topic + ", not a topic of the device's";
        }
    }
}
