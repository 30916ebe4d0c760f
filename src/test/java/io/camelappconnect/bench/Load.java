package io.camelappconnect.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

import io.camelappconnect.support.BridgeTestSupport;

/**
 * The uplinks of a benchmark: who sends them on the LNS broker ({@link Publisher}), who receives them on the cloud
 * broker ({@link Subscriber}), and what became of each ({@link Tally}).
 * <p>
 * Uplink number k is device {@code k % 100}'s uplink with {@code fcnt = k / 100}: 100 devices under 2 AppEUIs,
 * each device's frame counter unique and counting up in the order sent. The cloud side finds k again from the
 * topic's DevEUI and the payload's fcnt, so the forwarder may rewrite the JSON as it likes.
 */
final class Load {

    static final int DEVICES = 100;
    static final String[] APPS = {"8b-6c-f0-8e-ee-df-1b-b6", "8b-6c-f0-8e-ee-df-1b-b7"};
    /** The device of the uplinks that show the forwarder is listening before a measurement; never counted. */
    static final String PROBE_DEVICE = "00-80-00-ff-ff-ff-ff-ff";
    /** QoS 1 publishes on the wire before their PUBACK: a window wide enough that the publisher never sets the pace. */
    static final int MAX_IN_FLIGHT = 1000;

    private static final Map<String, Integer> DEVICE_INDEX = new HashMap<>();

    static {
        for (int d = 0; d < DEVICES; d++) {
            DEVICE_INDEX.put(device(d), d);
        }
    }

    private Load() {
    }

    /** The index of a device of the load; null for another. */
    static Integer deviceIndex(String eui) {
        return DEVICE_INDEX.get(eui);
    }

    static String device(int d) {
        return String.format("00-80-00-00-00-00-%02x-%02x", d >> 8, d & 0xff);
    }

    static String app(int d) {
        return APPS[d % APPS.length];
    }

    /** Where the LNS publishes uplink k. */
    static String lnsTopic(int k) {
        int d = k % DEVICES;
        return "lora/" + app(d) + "/" + device(d) + "/up";
    }

    /** Where the cloud expects uplink k (the harness check publishes there directly). */
    static String cloudTopic(String gateway, int k) {
        int d = k % DEVICES;
        return "lorawan/" + gateway + "/" + app(d) + "/" + device(d) + "/up";
    }

    static byte[] payload(int k) {
        int d = k % DEVICES;
        return BridgeTestSupport.uplink(app(d), device(d), k / DEVICES).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Publishes uplinks at QoS 1 on one connection with up to {@link #MAX_IN_FLIGHT} unacknowledged, waiting for
     * a PUBACK when the window is full. Payloads are built before a run starts so that the publisher spends its
     * time on the wire.
     */
    static final class Publisher implements AutoCloseable, Mqtt.Handler {

        /** In a flood, PUBLISH packets go on the wire in batches of this many (or sooner, when the window is full). */
        private static final int BATCH = 32;

        private final Mqtt mqtt;
        private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
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
            send(("lora/" + APPS[0] + "/" + PROBE_DEVICE + "/up").getBytes(StandardCharsets.UTF_8),
                    BridgeTestSupport.uplink(APPS[0], PROBE_DEVICE, fcnt).getBytes(StandardCharsets.UTF_8), -1, null,
                    true);
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
            acquire(MAX_IN_FLIGHT);
            slots.release(MAX_IN_FLIGHT);
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

    /**
     * Subscribed at QoS 1 on the cloud broker to the uplinks, to our jar's {@code init} and to the Mosquitto
     * bridge's connection notifications (how each says it is up), before anything is started or sent.
     */
    static final class Subscriber implements AutoCloseable, Mqtt.Handler {

        private final Mqtt mqtt;
        private volatile Tally tally;
        private volatile long initNanos;
        private volatile long bridgeUpNanos;
        private volatile String bridgeStateTopic;
        private volatile boolean probeArrived;
        private final AtomicInteger strays = new AtomicInteger();
        private final AtomicInteger notQos1 = new AtomicInteger();

        Subscriber(String url, String gateway) {
            mqtt = new Mqtt(url, "bench-sub-" + System.nanoTime(), this);
            mqtt.subscribe("lorawan/" + gateway + "/+/+/up", "lorawan/" + gateway + "/init",
                    "$SYS/broker/connection/+/state");
        }

        void count(Tally tally) {
            this.tally = tally;
        }

        @Override
        public void message(String topic, byte[] payload, int qos, long now) {
            if (topic.endsWith("/up")) {
                if (qos != 1) {
                    notQos1.incrementAndGet(); // the forwarder must have published at QoS 1, as asked
                }
                int end = topic.lastIndexOf('/');
                String device = topic.substring(topic.lastIndexOf('/', end - 1) + 1, end);
                Integer d = DEVICE_INDEX.get(device);
                Tally t = tally;
                int fcnt = fcnt(payload);
                if (d != null && t != null && fcnt >= 0) {
                    t.arrived(fcnt * DEVICES + d, d, fcnt, now);
                } else if (device.equals(PROBE_DEVICE)) {
                    probeArrived = true;
                } else {
                    strays.incrementAndGet();
                }
            } else if (topic.endsWith("/init")) {
                if (initNanos == 0) {
                    initNanos = now;
                }
            } else if (topic.startsWith("$SYS/") && "1".equals(new String(payload, StandardCharsets.UTF_8))
                    && bridgeUpNanos == 0) {
                bridgeStateTopic = topic;
                bridgeUpNanos = now;
            }
        }

        /** When the forwarder said it is up: our init, or the bridge's state 1; 0 if not yet. */
        long upNanos(Forwarder.Kind kind) {
            return kind == Forwarder.Kind.OURS ? initNanos : bridgeUpNanos;
        }

        String bridgeStateTopic() {
            return bridgeStateTopic;
        }

        boolean probeArrived() {
            return probeArrived;
        }

        /** Uplinks of devices not sent by us, or without a readable fcnt. */
        int strays() {
            return strays.get();
        }

        /** Uplinks that arrived at another QoS than 1. */
        int notQos1() {
            return notQos1.get();
        }

        /** The payload's fcnt, wherever the forwarder put it and however it spaced the JSON; -1 if none. */
        static int fcnt(byte[] json) {
            byte[] key = "\"fcnt\"".getBytes(StandardCharsets.US_ASCII);
            outer:
            for (int i = 0; i + key.length < json.length; i++) {
                for (int j = 0; j < key.length; j++) {
                    if (json[i + j] != key[j]) {
                        continue outer;
                    }
                }
                int p = i + key.length;
                while (p < json.length && (json[p] == ' ' || json[p] == ':')) {
                    p++;
                }
                int value = -1;
                while (p < json.length && json[p] >= '0' && json[p] <= '9') {
                    value = (value < 0 ? 0 : value * 10) + (json[p++] - '0');
                }
                return value;
            }
            return -1;
        }

        @Override
        public void close() {
            mqtt.close();
        }
    }

    /**
     * Each uplink of a session: when it was sent, when it first arrived, how many times, and whether it came
     * after a later uplink of its device. Written by the publisher and the subscriber's thread, read when a
     * measurement ends.
     */
    static final class Tally {

        private final long[] sent;
        private final long[] arrived;
        private final int[] copies;
        private final boolean[] outOfOrder;
        private final int[] highestFcnt = new int[DEVICES];
        private volatile long lastArrivalNanos;

        Tally(int uplinks) {
            sent = new long[uplinks];
            arrived = new long[uplinks];
            copies = new int[uplinks];
            outOfOrder = new boolean[uplinks];
            Arrays.fill(highestFcnt, -1);
        }

        void sent(int k, long nanos) {
            sent[k] = nanos;
        }

        synchronized void arrived(int k, int device, int fcnt, long nanos) {
            lastArrivalNanos = nanos;
            if (k >= copies.length) {
                return;
            }
            if (copies[k]++ > 0) {
                return; // a duplicate: counted, not held against the order
            }
            arrived[k] = nanos;
            if (fcnt < highestFcnt[device]) {
                outOfOrder[k] = true;
            } else {
                highestFcnt[device] = fcnt;
            }
        }

        synchronized int distinct(int from, int to) {
            int n = 0;
            for (int k = from; k < to; k++) {
                if (copies[k] > 0) {
                    n++;
                }
            }
            return n;
        }

        /**
         * Waits for uplinks from..to-1 until all have arrived, nothing new has come for {@code quietSeconds} (from
         * {@code sinceNanos}, the end of publishing, at the latest), or {@code capSeconds} after the first was sent.
         */
        void await(int from, int to, long sinceNanos, double quietSeconds, double capSeconds) {
            while (distinct(from, to) < to - from) {
                long now = System.nanoTime();
                long progress = Math.max(sinceNanos, lastArrivalNanos);
                if (now - progress > quietSeconds * 1e9 || now - sent[from] > capSeconds * 1e9) {
                    return;
                }
                Processes.sleep(50);
            }
        }

        /**
         * The figures of uplinks from..to-1: rate from the first publish to the last (first) arrival, counts, and
         * end-to-end latency percentiles in ms.
         */
        synchronized Map<String, Double> figures(int from, int to) {
            int n = to - from;
            int received = 0;
            int distinct = 0;
            int late = 0;
            long last = 0;
            long[] latency = new long[n];
            int slowest = from;
            for (int k = from; k < to; k++) {
                received += copies[k];
                if (copies[k] > 0) {
                    latency[distinct++] = arrived[k] - sent[k];
                    if (arrived[k] - sent[k] > arrived[slowest] - sent[slowest] || copies[slowest] == 0) {
                        slowest = k;
                    }
                    last = Math.max(last, arrived[k]);
                    if (outOfOrder[k]) {
                        late++;
                    }
                }
            }
            Arrays.sort(latency, 0, distinct);
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("sent", (double) n);
            f.put("received", (double) received);
            f.put("lost", (double) (n - distinct));
            f.put("duplicates", (double) (received - distinct));
            f.put("outOfOrder", (double) late);
            f.put("sendSeconds", (sent[to - 1] - sent[from]) / 1e9);
            f.put("seconds", distinct == 0 ? Double.NaN : (last - sent[from]) / 1e9);
            f.put("rate", distinct == 0 ? 0 : distinct / ((last - sent[from]) / 1e9));
            f.put("p50", percentile(latency, distinct, 0.50));
            f.put("p90", percentile(latency, distinct, 0.90));
            f.put("p99", percentile(latency, distinct, 0.99));
            f.put("max", distinct == 0 ? Double.NaN : latency[distinct - 1] / 1e6);
            f.put("maxSentAtSeconds", (sent[slowest] - sent[from]) / 1e9); // when the slowest went, into the run
            return f;
        }

        /** When uplink k went out (the start of a run's clock: after its payloads were built). */
        long sentNanos(int k) {
            return sent[k];
        }

        long lastArrivalNanos() {
            return lastArrivalNanos;
        }

        /** Nearest rank, in ms. */
        private static double percentile(long[] sorted, int n, double p) {
            return n == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(p * n) - 1)] / 1e6;
        }
    }
}
