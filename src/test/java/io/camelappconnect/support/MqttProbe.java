package io.camelappconnect.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A real MQTT client on the test's side of a broker: publishes, and keeps what arrives on its subscriptions. */
public final class MqttProbe implements AutoCloseable {

    /** One message as a subscriber saw it; {@code nanos}: {@link System#nanoTime()} when it came. */
    public record Received(String topic, byte[] payload, int qos, boolean retained, long nanos) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final MqttClient client;
    private final MqttConnectOptions options = new MqttConnectOptions();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    /** Its subscriptions, made again after a connection Moquette dropped (below). */
    private final Set<String> subscribed = new LinkedHashSet<>();

    public MqttProbe(String url) {
        try {
            client = new MqttClient(url, "probe-" + System.nanoTime(), new MemoryPersistence());
            options.setCleanSession(true);
            options.setMaxInflight(1000);
            client.connect(options);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Subscribes (QoS 1). Embedded Moquette 0.17 can drop a client whose SUBSCRIBE comes just after its CONNACK, before
     * its own set-up of the connection ended (seen in a fresh-clone run): the probe then connects again, once, and
     * subscribes to all its filters again. The app's connections see no such drop in the tests: this is the probe's.
     */
    public MqttProbe subscribe(String... filters) {
        try {
            subscribeAll(List.of(filters));
        } catch (MqttException e) {
            if (e.getReasonCode() != MqttException.REASON_CODE_CONNECTION_LOST || client.isConnected()) {
                throw new IllegalStateException(e);
            }
            try {
                client.connect(options);
                List<String> all = new ArrayList<>(subscribed);
                subscribed.clear();
                subscribeAll(all);
                subscribeAll(List.of(filters));
            } catch (MqttException again) {
                again.addSuppressed(e);
                throw new IllegalStateException(again);
            }
        }
        return this;
    }

    private void subscribeAll(List<String> filters) throws MqttException {
        for (String filter : filters) {
            client.subscribe(filter, 1, (topic, m) ->
                    received.add(new Received(topic, m.getPayload(), m.getQos(), m.isRetained(), System.nanoTime())));
            subscribed.add(filter);
        }
    }

    public void publish(String topic, String payload) {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    public void publish(String topic, byte[] payload, boolean retained) {
        try {
            client.publish(topic, payload, 1, retained);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message, or null after {@code seconds}. */
    public Received next(double seconds) {
        try {
            return received.poll((long) (seconds * 1000), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The next message on {@code topic}, skipping others, or null after {@code seconds}. */
    public Received next(String topic, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Received r = next(left / 1e9);
            if (r != null && r.topic().equals(topic)) {
                return r;
            }
        }
        return null;
    }

    /** What has arrived and not been taken yet, oldest first, without waiting: for a condition Awaitility polls. */
    public List<Received> available() {
        List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    /** Everything that arrives within {@code seconds}. */
    public List<Received> drain(double seconds) {
        List<Received> all = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (long left; (left = end - System.nanoTime()) > 0; ) {
            Received r = next(left / 1e9);
            if (r != null) {
                all.add(r);
            }
        }
        return all;
    }

    /**
     * What the broker holds retained on {@code topic}, as a new subscriber gets it; null when nothing. Only a
     * retained message reaches a subscriber that comes after it. (Moquette 0.17 leaves the retain flag off on
     * that delivery, Mosquitto sets it, so the flag itself is not what is checked.)
     */
    public static Received retained(String url, String topic) {
        try (MqttProbe fresh = new MqttProbe(url)) {
            fresh.subscribe(topic);
            return fresh.next(topic, 1.0);
        }
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close(true);
        } catch (MqttException e) {
            // closing a probe: nothing left to do
        }
    }
}
