package io.camelappconnect.mqtt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.camelappconnect.BadMessage;
import io.camelappconnect.mqtt.MessageStore.Kept;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.IMqttMessageListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Paho connection shared by every camel-paho endpoint of a broker.
 * <p>
 * camel-paho hands each consumer the component's client and calls {@code setCallback} on it, so consumers
 * sharing a client would steal each other's messages; its producer waits for every PUBACK. This subclass
 * <ul>
 * <li>turns each consumer's {@code setCallback} + {@code subscribe} into a listener for that subscription
 * alone, and sends each subscription again after every connect unless the broker kept it in our session
 * (a SUBSCRIBE makes the broker send retained messages again: commands would run twice);</li>
 * <li>runs each subscription's messages in order on a worker thread of its own, and acks them (manual acks)
 * after the route or on arrival, as {@link Delivery} says. Paho completes deliveries on its callback thread, so
 * a route that publishes and waits for a free in-flight slot must never run on it;</li>
 * <li>publishes QoS 1 without waiting for the PUBACK, up to the in-flight window of the connect options, and
 * keeps what the broker can't take now, and what it had not acknowledged when the connection went, in an
 * {@link Outbox} on disk.</li>
 * </ul>
 */
public class SharedMqttClient extends MqttClient {

    /** When a message that arrived is acknowledged to the broker. */
    public enum Delivery {
        /** After its route is done: a message the app never finished comes again (the gateway's traffic). */
        AT_LEAST_ONCE,
        /**
         * As it arrives, before its route runs: a command is never run twice after a reconnect, and a slow one
         * doesn't hold the broker's in-flight window (the cloud's commands and requests).
         */
        AT_MOST_ONCE
    }

    /** Messages waiting for one subscription's worker, when they are acked on arrival (nothing else bounds it). */
    private static final int MAX_WAITING = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(SharedMqttClient.class);

    static {
        PahoLog.install(); // before the first Paho client
    }

    /** The consumer whose {@code subscribe} follows on this thread (camel-paho calls the two in a row). */
    private final ThreadLocal<MqttCallback> pending = new ThreadLocal<>();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Object slotFreed = new Object();
    /** Published and not yet acknowledged, in the order sent: kept on disk if the connection goes. */
    private final Map<IMqttDeliveryToken, Kept> inFlight = new LinkedHashMap<>();
    private final String name;
    private final Outbox outbox;
    private final Delivery delivery;
    private final int maxPayloadBytes;
    private volatile Runnable onConnect = () -> { };
    private volatile Consumer<Throwable> onConnectionLost = cause -> { };

    /** @param store where messages wait while the broker is unreachable (behaviour.md 7) */
    public SharedMqttClient(String name, String url, String clientId, MessageStore store, int maxPayloadBytes,
                            Delivery delivery) throws MqttException {
        super(url, clientId, new MemoryPersistence());
        this.name = name;
        this.delivery = delivery;
        this.maxPayloadBytes = maxPayloadBytes;
        this.outbox = new Outbox(name, store);
        aClient.setManualAcks(true);
        aClient.setCallback(new Dispatcher());
    }

    /** Called on Paho's callback thread after each connect, once the subscriptions are sent. */
    void onConnect(Runnable action) {
        this.onConnect = action;
    }

    void onConnectionLost(Consumer<Throwable> action) {
        this.onConnectionLost = action;
    }

    /** The Paho client underneath, for connecting without blocking. */
    MqttAsyncClient async() {
        return aClient;
    }

    @Override
    public void setCallback(MqttCallback callback) {
        pending.set(callback);
    }

    @Override
    public void subscribe(String topicFilter, int qos) throws MqttException {
        MqttCallback consumer = pending.get();
        pending.remove();
        if (consumer == null) {
            throw new IllegalStateException(name + ": subscribe(" + topicFilter + ") without a consumer callback");
        }
        Subscription sub = subscriptions.compute(topicFilter, (filter, old) -> old == null
                ? new Subscription(filter, qos, consumer)
                : old.rebind(qos, consumer)); // a reloaded route takes over its topic
        if (isConnected()) {
            sub.sendOnce();
        }
    }

    /** Sends now when the broker can take it, else keeps it in the store for the next connect. */
    @Override
    public void publish(String topic, MqttMessage message) throws MqttException {
        if (message.getPayload().length > maxPayloadBytes) {
            // a broker drops the connection over a packet it won't take, and QoS 1 sends it again at every reconnect
            throw new BadMessage(message.getPayload().length + " bytes for " + topic + " is over mqtt.maxPayloadBytes ("
                    + maxPayloadBytes + "): not sent");
        }
        if (outbox.keepUnlessFree(topic, message, aClient.isConnected())) {
            return;
        }
        try {
            send(topic, message);
        } catch (MqttException e) {
            if (aClient.isConnected()) {
                throw e;
            }
            outbox.keep(topic, message); // the connection dropped under us
            if (aClient.isConnected()) {
                drainOutbox(); // ... and is back already: its drain may be over
            }
        }
    }

    /** Sends what was kept while disconnected; on the connection's own thread after each connect. */
    void drainOutbox() {
        outbox.drain(new Outbox.Sender() {
            @Override
            public void send(Kept message) throws MqttException {
                SharedMqttClient.this.send(message);
            }

            @Override
            public void awaitAcknowledged() throws MqttException {
                while (aClient.isConnected()) {
                    synchronized (inFlight) {
                        if (inFlight.isEmpty()) {
                            return;
                        }
                    }
                    awaitSlot();
                }
            }

            @Override
            public boolean connected() {
                return aClient.isConnected();
            }
        });
    }

    private void send(String topic, MqttMessage message) throws MqttException {
        send(new Kept(topic, message));
    }

    /** Hands the message to Paho without waiting for its PUBACK, once the in-flight window has room. */
    private void send(Kept kept) throws MqttException {
        while (true) {
            try {
                synchronized (inFlight) { // with the put: a connection lost in between finds it
                    inFlight.put(aClient.publish(kept.topic(), kept.message()), kept);
                }
                return;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT) {
                    throw e;
                }
            }
            awaitSlot();
        }
    }

    private void awaitSlot() throws MqttException {
        synchronized (slotFreed) {
            try {
                slotFreed.wait(10); // woken by deliveryComplete; the timeout covers a missed wake-up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MqttException(e);
            }
        }
    }

    /** After a CONNACK: subscribes again to what the broker does not hold for us. */
    void connected(boolean sessionPresent) {
        subscriptions.values().forEach(s -> {
            if (!sessionPresent) {
                s.state.set(Subscription.ABSENT); // a new session: the broker has none of them
            }
            s.sendOnce();
        });
    }

    /**
     * Moves what was published but not acknowledged into the store, ahead of everything kept, and out of Paho: Paho
     * would send it again itself only while this process lives (and, with a clean session, not at all).
     */
    void keepUnacknowledged() {
        List<Kept> unacknowledged = new ArrayList<>();
        synchronized (inFlight) {
            inFlight.forEach((token, kept) -> {
                if (!token.isComplete() && token.getResponse() == null) { // a PUBACK read waits for deliveryComplete
                    unacknowledged.add(kept);
                    try {
                        aClient.removeMessage(token);
                    } catch (MqttException | RuntimeException e) {
                        LOG.debug("{}: {} not removed from Paho: {}", name, kept.topic(), e.toString());
                    }
                }
            });
            inFlight.clear();
        }
        outbox.keepFirst(unacknowledged);
    }

    /** Messages waiting in the store. */
    public int waiting() {
        return outbox.size();
    }

    /** Messages written to the store since the start. */
    public long kept() {
        return outbox.written();
    }

    /** Messages dropped from the store (full) since the start. */
    public long dropped() {
        return outbox.dropped();
    }

    /** Closes the store's files (after the connection is closed: nothing more is kept). */
    void closeStore() {
        outbox.close();
    }

    /** Stops the workers; messages not yet handled stay unacked and come again from the broker. */
    void shutdownWorkers() {
        subscriptions.values().forEach(s -> s.worker.shutdownNow());
    }

    private final class Dispatcher implements MqttCallbackExtended {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            onConnect.run();
        }

        @Override
        public void connectionLost(Throwable cause) {
            keepUnacknowledged();
            onConnectionLost.accept(cause);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // only reached by a message no subscription of ours matches (a session from an older configuration)
            LOG.debug("{}: no route for {}, acked and dropped", name, topic);
            ack(message);
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            synchronized (inFlight) {
                inFlight.remove(token);
            }
            synchronized (slotFreed) {
                slotFreed.notifyAll();
            }
        }
    }

    private void ack(MqttMessage message) {
        try {
            aClient.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException | RuntimeException e) {
            LOG.debug("{}: ack of message {} not sent ({}); the broker sends it again", name, message.getId(), e.toString());
        }
    }

    private final class Subscription implements IMqttMessageListener {
        final String filter;
        final ExecutorService worker;
        volatile int qos;
        volatile MqttCallback consumer;
        /**
         * Whether the broker has it: a SUBSCRIBE is sent only from ABSENT, so a route starting while the connection
         * comes up can't send it twice (each SUBSCRIBE re-sends the retained messages).
         */
        final AtomicInteger state = new AtomicInteger(ABSENT);
        static final int ABSENT = 0;
        static final int PENDING = 1;
        static final int HELD = 2;

        Subscription(String filter, int qos, MqttCallback consumer) {
            this.filter = filter;
            this.qos = qos;
            this.consumer = consumer;
            // acked after the route, the broker's in-flight window bounds the queue; acked on arrival, MAX_WAITING does
            this.worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(
                    delivery == Delivery.AT_MOST_ONCE ? MAX_WAITING : Integer.MAX_VALUE), r -> {
                        Thread t = new Thread(r, name + " " + filter);
                        t.setDaemon(true);
                        return t;
                    });
        }

        Subscription rebind(int qos, MqttCallback consumer) {
            this.qos = qos;
            this.consumer = consumer;
            return this;
        }

        void sendOnce() {
            if (!state.compareAndSet(ABSENT, PENDING)) {
                return;
            }
            try {
                aClient.subscribe(filter, qos, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        boolean granted = token.getGrantedQos().length > 0 && token.getGrantedQos()[0] != 0x80;
                        state.set(granted ? HELD : ABSENT);
                        if (!granted) {
                            LOG.warn("{}: the broker refused the subscription to {}", name, filter);
                        }
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable cause) {
                        state.set(ABSENT); // the next connect sends it again
                        LOG.warn("{}: subscribe to {} failed: {}", name, filter, Causes.describe(cause));
                    }
                }, this);
            } catch (MqttException | RuntimeException e) {
                state.set(ABSENT); // the connection dropped meanwhile: the next connect sends it again
                LOG.warn("{}: subscribe to {} failed: {}", name, filter, e.getMessage());
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            boolean early = delivery == Delivery.AT_MOST_ONCE;
            if (early) {
                ack(message);
            }
            try {
                worker.execute(() -> {
                    try {
                        consumer.messageArrived(topic, message);
                    } catch (Throwable e) {
                        LOG.error("{}: message on {} failed", name, topic, e);
                    } finally {
                        if (!early) {
                            ack(message);
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                if (early && !worker.isShutdown()) {
                    LOG.warn("{}: {} messages already wait on {}: one more dropped", name, MAX_WAITING, filter);
                }
                // else stopping: left unacked, the broker sends it again (a throw here would cost the connection)
            }
        }
    }
}
