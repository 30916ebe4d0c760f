package io.camelappconnect.bench;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.camelappconnect.support.BridgeTestSupport;

/**
 * The uplinks of a benchmark, numbered: their devices, topics and payloads. {@link Publisher} sends them on the LNS
 * broker, {@link Subscriber} receives them on the cloud broker, {@link Tally} records what became of each.
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
}
