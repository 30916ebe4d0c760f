package io.camelappconnect.mqtt;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.camelappconnect.mqtt.MqttConnection.Incoming;
import io.reactivex.schedulers.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try at a {@link MqttConnection}: its own client, dropped whole when the try fails or the connection goes, and
 * what arrives on it, handed to the subscriptions it matches within their bounds (what the broker sends is the
 * session's concern; keeping a connection up and publishing are the connection's).
 */
final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class); // its lines are the connection's

    private final MqttConnection connection;
    final Mqtt3AsyncClient client;
    volatile boolean up;
    volatile boolean ended;
    /** connected() ran for it: its end is a loss, not a failed connect. */
    boolean established;
    /** Why the client said it went; null while it has not. */
    volatile Throwable gone;
    /** The subscription whose bound a message would have passed: from then on nothing is taken (see refuse). */
    volatile Subscription refusing;

    Session(MqttConnection connection) {
        this.connection = connection;
        // callbacks inline, on the event loop: HiveMQ's default (RxJava's computation threads, behind observeOn's
        // buffer of 128) let the wait in roomFor park a computation thread while Netty read on, every message
        // then held in the client's incoming queue until its PUBACK (a 50,000-uplink burst: out of heap)
        client = connection.config.client()
                .executorConfig(MqttClientExecutorConfig.builder().nettyExecutor(connection.eventLoop).nettyThreads(1)
                        .applicationScheduler(Schedulers.trampoline()).build())
                .addDisconnectedListener(context -> {
                    if (OversizedPacket.refused(context.getCause())) {
                        oversized(); // whether or not this session was up yet: the broker sends it first
                    }
                    if (context.getSource() != MqttDisconnectSource.USER) {
                        // also before connected() ran (right after the CONNACK): connected() must not mark
                        // a dead client up, and the loss is handled whatever `up` said
                        gone = context.getCause();
                        up = false; // at once: a send or drain waiting for room gives up now
                        connection.later(() -> connection.ended(this, context.getCause()), 0);
                    }
                })
                .buildAsync();
        // registered before the CONNECT: a kept session's messages come before any SUBSCRIBE
        client.publishes(MqttGlobalPublishFilter.ALL, this::arrived, true);
    }

    /**
     * On the client's event loop: the broker sent a packet over mqtt.maxIncomingBytes, refused from its first
     * bytes. Unacknowledged, a kept session would bring it back first at every reconnect: the session is
     * discarded before the next connect (OversizedPacket says why this way).
     */
    private void oversized() {
        long count = connection.refusedIncoming.incrementAndGet();
        LOG.warn("{}: {} sent a packet of more than {} bytes (mqtt.maxIncomingBytes): refused unread, connection"
                + " closed ({} so far){}", connection.name(), connection.config.url(),
                connection.config.maxIncomingBytes(), count,
                connection.config.cleanSession() ? "" : "; its session is discarded so that it does not come"
                + " again: what the broker kept for " + connection.config.clientId() + " with it is lost, and the"
                + " subscriptions are sent again");
        if (!connection.config.cleanSession()) {
            // before lost() schedules the reconnect
            connection.later(() -> OversizedPacket.discardSession(connection.config), 0);
        }
    }

    void end() {
        up = false;
        ended = true;
    }

    /** A message that arrived, on the client's event loop: handed to the workers of the subscriptions it matches. */
    private void arrived(Mqtt3Publish publish) {
        if (refusing != null) {
            return; // after one over the bound: left unacknowledged, the broker sends it again, in order, after the reconnect
        }
        String topic = publish.getTopic().toString();
        List<Subscription> matching = new ArrayList<>(1);
        for (Subscription sub : connection.subscriptions.values()) {
            if (Topics.matches(sub.filter, topic)) {
                matching.add(sub);
            }
        }
        if (matching.isEmpty()) { // a subscription an older configuration left in the session
            LOG.debug("{}: no route for {}, acknowledged and dropped", connection.name(), topic);
            publish.acknowledge();
            return;
        }
        int size = publish.getPayload().map(ByteBuffer::remaining).orElse(0);
        for (Subscription sub : matching) { // only this event loop adds to waitingBytes: it can only be less by now
            if (!roomFor(sub, size)) { // the count bounds alone let 1000 big ones wait
                refuse(sub, publish, size);
                return;
            }
        }
        Incoming message = new Incoming(topic, publish.getPayloadAsBytes(),
                publish.getQos() == MqttQos.AT_MOST_ONCE ? 0 : 1, publish.isRetain());
        boolean early = connection.config.ack() == ConnectionConfig.Ack.ON_ARRIVAL;
        if (early) {
            publish.acknowledge();
        }
        AtomicInteger left = new AtomicInteger(matching.size());
        Runnable done = early ? () -> { } : () -> {
            if (left.decrementAndGet() == 0) {
                publish.acknowledge();
            }
        };
        for (Subscription sub : matching) {
            sub.offer(message, done);
        }
    }

    /**
     * On this connection's own event loop: whether {@code sub} has room for {@code size} more bytes, waiting at most
     * {@link MqttConnection#backpressureMs} for its route to take some. Meanwhile the event loop reads nothing, so TCP
     * holds the broker back. A broker's in-flight bound is not enough: Debian's Mosquitto 2.0.11 keeps none for a
     * subscriber that acknowledges in order (1,344 in flight where 20 are allowed), and a burst it then sends whole
     * took the 32 MiB heap. An empty queue takes any one message (mqtt.maxIncomingBytes bounds it).
     */
    private boolean roomFor(Subscription sub, int size) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connection.backpressureMs);
        while (sub.waitingBytes.get() > 0 && sub.waitingBytes.get() + size > connection.config.maxWaitingBytes()) {
            if (!up || System.nanoTime() - end > 0) {
                return false;
            }
            LockSupport.parkNanos(1_000_000); // the wait is the point: the route frees room within milliseconds
        }
        return true;
    }

    /**
     * On the client's event loop: a message that would take {@code sub} over mqtt.maxWaitingBytes for longer than
     * {@link MqttConnection#backpressureMs}: the route is stuck, not slow. With a kept session it is left
     * unacknowledged, and so is every message after it, until {@code MqttConnection.watch} makes the connection anew
     * once the route has taken what waits; the broker then sends them again, in order (MQTT 3.1.1 sends an
     * unacknowledged message again only on a new connection, and HiveMQ's client sends PUBACKs in order: nothing after
     * it could be acknowledged anyway). Meanwhile the broker holds them, up to its in-flight window on the wire.
     * Without a kept session the broker would not send it again: it is acknowledged and dropped.
     */
    private void refuse(Subscription sub, Mqtt3Publish publish, int size) {
        if (connection.config.cleanSession()) {
            publish.acknowledge();
            LOG.warn("{}: {} bytes already wait on {} (mqtt.maxWaitingBytes {}): a message of {} bytes dropped (with"
                    + " clean_session the broker would not send it again)", connection.name(), sub.waitingBytes.get(),
                    sub.filter, connection.config.maxWaitingBytes(), size);
            return;
        }
        refusing = sub;
        LOG.warn("{}: {} bytes already wait on {} (mqtt.maxWaitingBytes {}): a message of {} bytes, and those after it,"
                + " are left with the broker, which sends them again once the route has taken what waits (the connection"
                + " is then made anew)", connection.name(), sub.waitingBytes.get(), sub.filter,
                connection.config.maxWaitingBytes(), size);
    }
}
