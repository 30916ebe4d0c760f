package io.camelappconnect.mqtt;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectRestrictions;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectRestrictions;

/**
 * One MQTT connection as configuration declares it: one broker, one client id, one session, one will, one store.
 * The built-in {@code cloud} and {@code lns} connections are made from the protocol's keys ({@code app.*},
 * {@code lns.url}); any other from {@code mqtt.connection.<name>.*} (see config/application.properties).
 *
 * @param name             the connection's name: the scheme its routes use ({@code cloud:lorawan/...})
 * @param tls              null for a plain connection
 * @param username         empty: no login
 * @param password         what each CONNECT carries with the username
 * @param will             null: no will
 * @param ack              when a message that arrives is acknowledged to the broker
 * @param maxInflight      QoS 1 publishes on the wire before their PUBACK
 * @param maxPublishRate   publishes per second at most, the drain after an outage included; 0: no limit
 * @param connectTimeoutMs a connect without its CONNACK by then is abandoned and tried again from a clean client
 * @param maxIncomingBytes the largest packet taken in: a bigger one is refused from its first bytes
 * @param maxWaitingBytes  payload bytes waiting for one subscription's route at most
 * @param keys             its settings, as a failure's hint names them
 */
public record ConnectionConfig(String name, BrokerUrl url, String clientId, boolean cleanSession, int keepaliveSeconds,
                               MqttClientSslConfig tls, String username, Password password, Will will, Ack ack,
                               int maxInflight, int maxPayloadBytes, int maxPublishRate, long connectTimeoutMs,
                               Backoff backoff, Store store, int maxIncomingBytes, int maxWaitingBytes,
                               Causes.Keys keys) {

    /**
     * A client for this connection, transport and all: one transport config with all of it, as the client builder's
     * own sslConfig() is lost once a transport config is set (HiveMQ client 1.3.5 to 1.4.2).
     */
    public Mqtt3ClientBuilder client() {
        MqttClientTransportConfigBuilder transport = MqttClientTransportConfig.builder()
                .serverHost(url.host()).serverPort(url.port())
                .socketConnectTimeout(connectTimeoutMs, TimeUnit.MILLISECONDS)
                .mqttConnectTimeout(connectTimeoutMs, TimeUnit.MILLISECONDS);
        if (tls != null) {
            transport.sslConfig(tls);
        }
        if (url.websocket()) {
            transport.webSocketConfig(MqttWebSocketConfig.builder().serverPath(url.path()).build());
        }
        return MqttClient.builder().useMqttVersion3().identifier(clientId).transportConfig(transport.build());
    }

    /** The login of the CONNECT about to go (a SAS token made for it), or null for none. */
    public Mqtt3SimpleAuth simpleAuth() {
        return username.isEmpty() ? null : Mqtt3SimpleAuth.builder().username(username)
                .password(password.forConnect().getBytes(StandardCharsets.UTF_8)).build();
    }

    /**
     * For the CONNECT: the largest packet taken in. HiveMQ's decoder refuses a bigger one from its fixed header,
     * before buffering it, and closes the connection (it would accept 256 MiB). MQTT 3.1.1 has no such field on the
     * wire and the client's MQTT 3 builder does not offer it, but its MQTT 3 decoder applies the limit of these
     * restrictions, whose one implementation serves both versions (Behaviour7OversizedDownlinkTest proves it still does).
     */
    public Mqtt3ConnectRestrictions incomingRestrictions() {
        return (Mqtt3ConnectRestrictions) Mqtt5ConnectRestrictions.builder().maximumPacketSize(maxIncomingBytes).build();
    }

    /** MQTT's two-byte lengths: a keepalive in seconds, a string's or the password's bytes. */
    private static final int MAX_UNSIGNED_SHORT = 65_535;

    /**
     * What the MQTT client would refuse only when it connects (outside any error path there) is refused here, as the
     * connection is declared, naming the connection and the setting; never its value when that is the password.
     */
    public ConnectionConfig {
        try {
            keepalive(keepaliveSeconds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": keepalive " + keepaliveSeconds + " " + e.getMessage());
        }
        if (!isMqttString(clientId)) {
            throw new IllegalArgumentException(name + ": the client id is not a valid MQTT string (a NUL or an"
                    + " unpaired surrogate in it, or over 65535 bytes)");
        }
        if (!isMqttString(username)) {
            throw new IllegalArgumentException(name + ": the user name is not a valid MQTT string (a NUL or an"
                    + " unpaired surrogate in it, or over 65535 bytes)");
        }
        if (password.forConnect().getBytes(StandardCharsets.UTF_8).length > MAX_UNSIGNED_SHORT) {
            throw new IllegalArgumentException(name + ": the password is over 65535 bytes");
        }
    }

    /** @throws IllegalArgumentException when MQTT can't carry it */
    public static void keepalive(int seconds) {
        if (seconds < 0 || seconds > MAX_UNSIGNED_SHORT) {
            throw new IllegalArgumentException("must be from 0 to 65535 s");
        }
    }

    /** Whether the MQTT client takes it as a client id or user name (its own check: MQTT 3.1.1 1.5.3). */
    public static boolean isMqttString(String text) {
        try {
            MqttUtf8String.of(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** When a message that arrived is acknowledged to its broker. */
    public enum Ack {
        /** After its route is done, the publishes it made acknowledged: what the app had not finished comes again. */
        AFTER_ROUTE,
        /**
         * As it arrives, before its route runs: a command is never run twice after a reconnect, and a slow one
         * doesn't hold the broker's in-flight window.
         */
        ON_ARRIVAL;

        /** {@code afterRoute} or {@code onArrival}, as the configuration writes it. */
        public static Ack parse(String key, String value) {
            return switch (value) {
                case "afterRoute" -> AFTER_ROUTE;
                case "onArrival" -> ON_ARRIVAL;
                default -> throw new IllegalArgumentException(key + "=" + value + ": must be afterRoute or onArrival");
            };
        }
    }

    /** The password of each CONNECT: as written, or made for each one (a SAS token, io.camelappconnect.azure). */
    public interface Password {
        /** For the CONNECT about to go. */
        String forConnect();

        /** A connection is made anew, with a fresh password, after this long; 0: never. */
        default long renewAfterMs() {
            return 0;
        }

        /** When the broker stops taking it (a pasted SAS token's {@code se=}); null: not known to end. */
        default Instant expires() {
            return null;
        }

        /** The same for every CONNECT. */
        static Password of(String text) {
            return () -> text;
        }
    }

    /** Published by the broker, QoS 1, when the connection goes without a DISCONNECT. */
    public record Will(String topic, byte[] payload) {
    }

    /** Reconnect pacing: first delay, upper bound, both in milliseconds, doubling with jitter. */
    public record Backoff(long initialMs, long maxMs) {
        public long delay(int failures) {
            long base = Math.min(maxMs, initialMs << Math.min(failures, 20));
            return base / 2 + (long) (Math.random() * (base / 2 + 1)); // jitter: 50-100 %
        }
    }

    /**
     * Where messages wait while the broker is away (behaviour.md 7).
     *
     * @param syncMs write what was kept through to the disk at most this often (what a power cut may lose)
     */
    public record Store(Path dir, int maxMessages, long maxBytes, long syncMs) {
    }
}
