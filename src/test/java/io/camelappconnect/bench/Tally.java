package io.camelappconnect.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each uplink of a session: when it was sent, when it first arrived, how many times, and whether it came
 * after a later uplink of its device. Written by the publisher and the subscriber's thread, read when a
 * measurement ends.
 */
final class Tally {

    private final long[] sent;
    private final long[] arrived;
    private final int[] copies;
    private final boolean[] outOfOrder;
    private final int[] highestFcnt = new int[Load.DEVICES];
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
