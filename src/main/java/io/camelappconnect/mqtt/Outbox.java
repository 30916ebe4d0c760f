package io.camelappconnect.mqtt;

import java.util.ArrayDeque;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages for a broker that can't take them now, in order and bounded, sent first when it is back.
 * <p>
 * Paho has a buffer for this, but it loses messages two ways: every packet sent while it drains (a SUBSCRIBE, a
 * publish) goes into it too and, when full, evicts a kept message; and a publish that comes as the drain ends is
 * stranded, with every later one queued behind it, until the next reconnect. Here "send now or keep" and "the
 * drain is done" are decided under one lock, so a message is either sent directly, with nothing kept ahead of it,
 * or kept and sent by the drain.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** Sends one message on the connection (may wait for an in-flight slot). */
    interface Sender {
        void send(String topic, MqttMessage message) throws MqttException;
    }

    private record Kept(String topic, MqttMessage message) {
    }

    private final String name;
    private final int limit;
    private final ArrayDeque<Kept> queue = new ArrayDeque<>();
    private boolean draining;
    private long dropped;

    Outbox(String name, int limit) {
        this.name = name;
        this.limit = limit;
    }

    /** Keeps the message unless the caller may send it at once: connected, nothing kept, no drain under way. */
    synchronized boolean keepUnlessFree(String topic, MqttMessage message, boolean connected) {
        if (connected && queue.isEmpty() && !draining) {
            return false;
        }
        keep(topic, message);
        return true;
    }

    /** Keeps it behind everything kept; when full, the oldest goes, with a warning once per outage. */
    synchronized void keep(String topic, MqttMessage message) {
        if (queue.size() >= limit) {
            queue.pollFirst();
            if (dropped++ == 0) {
                LOG.warn("{}: {} messages kept while disconnected (mqtt.bufferSize): the oldest are dropped from now on",
                        name, limit);
            }
        }
        queue.addLast(new Kept(topic, message));
    }

    /**
     * Sends what is kept, oldest first, until it is empty or the connection fails again (what is left waits for the
     * next connect). Runs on the connection's own thread, never Paho's: a send may wait for an in-flight slot.
     */
    void drain(Sender sender) {
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
            if (dropped > 0) {
                LOG.warn("{}: {} messages were dropped while disconnected (buffer full)", name, dropped);
                dropped = 0;
            }
            if (!queue.isEmpty()) {
                LOG.info("{}: sending {} messages kept while disconnected", name, queue.size());
            }
        }
        while (true) {
            Kept next;
            synchronized (this) {
                next = queue.peekFirst();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                sender.send(next.topic(), next.message());
            } catch (MqttException | RuntimeException e) {
                synchronized (this) {
                    draining = false;
                }
                LOG.warn("{}: {} kept messages wait for the next connect: {}", name, size(), Causes.describe(e));
                return;
            }
            synchronized (this) {
                queue.remove(next); // by identity: the head, unless a full queue dropped it meanwhile
            }
        }
    }

    synchronized int size() {
        return queue.size();
    }
}
