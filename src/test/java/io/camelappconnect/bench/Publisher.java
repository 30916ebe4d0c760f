package io.camelappconnect.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import io.camelappconnect.support.BridgeTestSupport;

/**
 * Publishes uplinks at QoS 1 on one connection with up to {@link Load#MAX_IN_FLIGHT} unacknowledged, waiting for
 * a PUBACK when the window is full. Payloads are built before a run starts so that the publisher spends its
 * time on the wire.
 */
final class Publisher implements AutoCloseable, Mqtt.Handler {

    /** In a flood, PUBLISH packets go on the wire in batches of this many (or sooner, when the window is full). */
    private static final int BATCH = 32;

    private final Mqtt mqtt;
    private final Semaphore slots = new Semaphore(Load.MAX_IN_FLIGHT);
    private int packetId;

    Publisher(String url) {
        mqtt = new Mqtt(url, "bench-pub-" + System.nanoTime(), this);
    }

    @Override
    public void acked(int id) {
        slots.release();
    }

    /** Uplinks from..to-1 back to back; returns when the broker has acknowledged them all. */
    void flood(int from, int to, IntFunction<String> topic, Tally tally) {
        Prepared p = new Prepared(from, to, topic);
        for (int k = from; k < to; k++) {
            send(p.topic(k), p.payload(k), k, tally, (k - from) % BATCH == BATCH - 1);
        }
        mqtt.flush();
        awaitAcked();
    }

    /**
     * Uplinks from..to-1 at {@code perSecond}, each on the wire at once: uplink i is due at start + i / rate on
     * System.nanoTime(), so a late wake-up is made up by the next send instead of adding up as sleeps would.
     */
    void paced(int from, int to, double perSecond, IntFunction<String> topic, Tally tally) {
        Prepared p = new Prepared(from, to, topic);
        long start = System.nanoTime();
        for (int k = from; k < to; k++) {
            long due = start + (long) ((k - from) * 1e9 / perSecond);
            for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(wait);
            }
            send(p.topic(k), p.payload(k), k, tally, true);
        }
        awaitAcked();
    }

    void probe(int fcnt) {
        send(("lora/" + Load.APPS[0] + "/" + Load.PROBE_DEVICE + "/up").getBytes(StandardCharsets.UTF_8),
                BridgeTestSupport.uplink(Load.APPS[0], Load.PROBE_DEVICE, fcnt).getBytes(StandardCharsets.UTF_8), -1,
                null, true);
    }

    private void send(byte[] topic, byte[] payload, int k, Tally tally, boolean flush) {
        if (!slots.tryAcquire()) {
            mqtt.flush(); // what is buffered must reach the broker, or no PUBACK will free a slot
            acquire(1);
        }
        if (tally != null) {
            tally.sent(k, System.nanoTime());
        }
        packetId = packetId % 65535 + 1; // never 0; ids in flight stay unique, the window being far smaller
        mqtt.publish(topic, payload, packetId);
        if (flush) {
            mqtt.flush();
        }
    }

    /** Until every publish so far has its PUBACK. */
    void awaitAcked() {
        acquire(Load.MAX_IN_FLIGHT);
        slots.release(Load.MAX_IN_FLIGHT);
    }

    /** Waits for free slots as long as the connection lives. */
    private void acquire(int n) {
        try {
            while (!slots.tryAcquire(n, 100, TimeUnit.MILLISECONDS)) {
                mqtt.check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        mqtt.close();
    }

    private static final class Prepared {
        private final int from;
        private final byte[][] topics;
        private final byte[][] payloads;

        Prepared(int from, int to, IntFunction<String> topic) {
            this.from = from;
            topics = new byte[to - from][];
            payloads = new byte[to - from][];
            for (int k = from; k < to; k++) {
                topics[k - from] = topic.apply(k).getBytes(StandardCharsets.UTF_8);
                payloads[k - from] = Load.payload(k);
            }
        }

        byte[] topic(int k) {
            return topics[k - from];
        }

        byte[] payload(int k) {
            return payloads[k - from];
        }
    }
}
