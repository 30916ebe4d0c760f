package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.packets.general.Qos;
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
 * What the hub enforces, and what it does not, is listed at {@link AzureHubRules}.
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
    private final int port = EmbeddedBroker.freePort();
    private final int webSocketPort = EmbeddedBroker.freePort();
    private final TestCertificates.Issued ca = TestCertificates.ca("Azure IoT Hub stand-in CA");
    private final Path dir;
    final String eventsPrefix;
    final String deviceboundFilter;
    final String methodsFilter = "$iothub/methods/POST/#";
    final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "azure-stand-in-expiry");
        t.setDaemon(true);
        return t;
    });
    final List<D2c> d2c = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();
    final List<String> refusals = new CopyOnWriteArrayList<>();
    final List<String> closures = new CopyOnWriteArrayList<>();
    final List<String> refusedSubscriptions = new CopyOnWriteArrayList<>();
    final List<Token> tokens = new CopyOnWriteArrayList<>();
    final AtomicInteger strayAnswers = new AtomicInteger();
    /** The accepted connection whose token deadline counts; an older one's deadline passes without effect. */
    final AtomicLong connection = new AtomicLong();
    private final AtomicInteger rids = new AtomicInteger();
    final Map<String, CompletableFuture<MethodResult>> pending = new ConcurrentHashMap<>();
    volatile Duration expiryGrace = Duration.ZERO;
    volatile ClientService clients;
    volatile PublishService publisher;
    volatile SubscriptionStore subscriptions;
    private EmbeddedHiveMQ broker;

    private AzureHubStandIn(String hostName, String deviceId) throws IOException {
        this.hostName = hostName;
        this.deviceId = deviceId;
        this.eventsPrefix = "devices/" + deviceId + "/messages/events/";
        this.deviceboundFilter = "devices/" + deviceId + "/messages/devicebound/#";
        dir = Files.createTempDirectory("azure-hub");
        AzureHubBrokerConfig.write(dir, hostName, ca, port, webSocketPort);
    }

    /** Starts the hub for one device whose key (the base64-decoded device key) signs its SAS tokens. */
    public static AzureHubStandIn start(String hostName, String deviceId, byte[] deviceKey) {
        try {
            AzureHubStandIn hub = new AzureHubStandIn(hostName, deviceId);
            hub.broker = EmbeddedHiveMQ.builder().withConfigurationFolder(hub.dir.resolve("conf"))
                    .withDataFolder(hub.dir.resolve("data")).withExtensionsFolder(hub.dir.resolve("extensions"))
                    .withoutLoggingBootstrap()
                    .withEmbeddedExtension(EmbeddedExtension.builder().withId("azure-hub-rules")
                            .withName("Azure IoT Hub's rules").withVersion("1").withAuthor("tests").withPriority(0)
                            .withStartPriority(1000).withExtensionMain(new AzureHubRules(hub, deviceKey)).build())
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
                .map(p -> PropertyBag.encode(p.getKey()) + "=" + PropertyBag.encode(p.getValue()))
                .collect(Collectors.joining("&"));
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

}
