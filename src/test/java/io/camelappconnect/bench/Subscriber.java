package io.camelappconnect.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Subscribed at QoS 1 on the cloud broker to the uplinks, to our jar's {@code init} and to the Mosquitto
 * bridge's connection notifications (how each says it is up), before anything is started or sent.
 */
final class Subscriber implements AutoCloseable, Mqtt.Handler {

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
            Integer d = Load.deviceIndex(device);
            Tally t = tally;
            int fcnt = fcnt(payload);
            if (d != null && t != null && fcnt >= 0) {
                t.arrived(fcnt * Load.DEVICES + d, d, fcnt, now);
            } else if (device.equals(Load.PROBE_DEVICE)) {
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
