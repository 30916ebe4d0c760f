package io.camelappconnect.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.message.Eui;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backhaul detect (behaviour.md 6): while the cloud is unreachable, an uplink from device D is answered on the LNS
 * with {@code lora/D/down} {@code {"port":P,"data":"<payload, base64>"}}, at most once per device per
 * {@code app.backhaulDetect.timeout}. As in MultiTech's app, the memory is per device and in memory. Each entry
 * belongs to one outage (the cloud connection's connect count when it was made), so the first uplink of the next
 * outage triggers at once, even after a reconnect no uplink saw; an uplink that finds the link up frees it all.
 * <p>
 * Runs on an uplink's exchange after its cloud publish (routes/backhaul.yaml), the device in header
 * {@code devEui} ({@link DeviceEuis}). While the link is up it costs one connection-state read. When a downlink is
 * due it sets {@link #DUE} and the body for the route's {@code lns:lora/${header.devEui}/down}.
 */
public final class BackhaulThrottle implements Processor {

    /** The exchange property that says a downlink is due. */
    public static final String DUE = "backhaulDown";

    /**
     * Devices remembered, the least recently heard forgotten first. A Conduit's network server serves at most a
     * few thousand devices, so this remembers all of them with room to spare, in about 1.5 MB at worst (an entry is
     * an EUI string, a Long and a map node, ~150 bytes). A device forgotten by a flood of others only gets its next
     * downlink early.
     */
    static final int MAX_DEVICES = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(BackhaulThrottle.class);

    private final BooleanSupplier cloudUp;
    private final byte[] downlink;
    private final long timeoutNanos;
    private final LongSupplier cloudConnects;
    /** Device EUI -> its last downlink, in access order (LRU). */
    private final Map<String, Told> lastDownlink = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Told> eldest) {
            return size() > MAX_DEVICES;
        }
    };
    /** Whether lastDownlink holds anything: spares the link-up path the lock. */
    private volatile boolean remembering;

    /** When a device was last told, in which outage (System.nanoTime(), the connect count then). */
    private record Told(long at, long outage) {
    }

    /**
     * @param cloudUp whether the cloud connection is up
     * @param cloudConnects how many times it connected so far: a new count is a new outage
     * @throws IllegalArgumentException when {@code app.backhaulDetect.payload} is not hex
     */
    public BackhaulThrottle(BooleanSupplier cloudUp, LongSupplier cloudConnects, AppConfig.BackhaulDetect config) {
        this.cloudUp = cloudUp;
        this.cloudConnects = cloudConnects;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(config.timeoutSeconds());
        this.downlink = ("{\"port\":" + config.port() + ",\"data\":\""
                + Base64.getEncoder().encodeToString(hex(config.payload())) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void process(Exchange exchange) {
        if (cloudUp.getAsBoolean()) {
            if (remembering) {
                forget();
            }
            return;
        }
        String dev = exchange.getMessage().getHeader(DeviceEuis.DEV_EUI, String.class);
        if (due(dev, System.nanoTime(), cloudConnects.getAsLong())) {
            LOG.debug("cloud unreachable: backhaul-down downlink to {}", dev);
            exchange.setProperty(DUE, true);
            exchange.getMessage().setBody(downlink.clone()); // a publish kept for later holds on to its array
        }
    }

    private synchronized boolean due(String dev, long now, long outage) {
        Told last = lastDownlink.get(dev);
        if (last != null && last.outage() == outage && now - last.at() < timeoutNanos) {
            return false;
        }
        lastDownlink.put(dev, new Told(now, outage));
        remembering = true;
        return true;
    }

    private synchronized void forget() {
        lastDownlink.clear();
        remembering = false;
    }

    /** How many devices are remembered now. */
    synchronized int remembered() {
        return lastDownlink.size();
    }

    private static byte[] hex(String payload) {
        try {
            if (payload.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of digits");
            }
            return HexFormat.of().parseHex(payload);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("app.backhaulDetect.payload=" + Eui.abbreviate(payload)
                    + ": must be hex, two digits a byte (e.g. FF): " + e.getMessage());
        }
    }
}
