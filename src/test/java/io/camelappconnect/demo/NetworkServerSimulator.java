package io.camelappconnect.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for the gateway's network server on its local broker (behaviour.md 2): three devices join, then
 * each sends a temperature reading every few seconds, and every downlink or queue clear the bridge passes on is
 * logged in words.
 */
final class NetworkServerSimulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NetworkServerSimulator.class);

    static final String APP_EUI = "8b-6c-f0-8e-ee-df-1b-b6";
    static final String GATEWAY_EUI = "00-80-00-00-d0-00-01-ff";
    private static final String JOIN_EUI = "16-ea-76-f6-ab-66-3d-80";
    private static final long PERIOD_MS = 5_000;
    /** The Unix time of the GPS epoch (1980-01-06), and the leap seconds GPS time has gained since: for tmms. */
    private static final long GPS_EPOCH_MS = 315_964_800_000L;
    private static final long GPS_LEAP_MS = 18_000L;

    private final ObjectMapper mapper = new ObjectMapper();
    private final MqttClient client;
    private final List<Device> devices = List.of(
            new Device("00-80-00-ff-ff-00-00-01", "demo-sensor-1", 0x00d080c1, 21.0),
            new Device("00-80-00-ff-ff-00-00-02", "demo-sensor-2", 0x00d080c2, 18.5),
            new Device("00-80-00-ff-ff-00-00-03", "demo-sensor-3", 0x00d080c3, 24.0));
    private final AtomicInteger seqn = new AtomicInteger();
    private final ScheduledExecutorService radio = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "simulated devices");
        t.setDaemon(true);
        return t;
    });

    private static final class Device {
        final String eui;
        final String name;
        final int devaddr;
        final double typicalCelsius;
        int fcnt;

        Device(String eui, String name, int devaddr, double typicalCelsius) {
            this.eui = eui;
            this.name = name;
            this.devaddr = devaddr;
            this.typicalCelsius = typicalCelsius;
        }
    }

    /** Connects as the network server does (clean session) and listens for what the bridge sends down. */
    NetworkServerSimulator(String url) throws MqttException {
        client = new MqttClient(url, "demo-network-server", new MemoryPersistence());
        client.connect(); // Paho's defaults: a clean session, as the network server's own
        client.subscribe("lora/+/down", 1, (topic, message) -> command(topic, message.getPayload()));
        client.subscribe("lora/+/clear", 1, (topic, message) -> command(topic, message.getPayload()));
    }

    /**
     * The devices join once {@code bridgeListening} holds, then send uplinks: a network server keeps nothing for
     * a subscriber that comes later, so joins sent before the bridge subscribes would be lost.
     */
    void startWhen(BooleanSupplier bridgeListening) {
        radio.schedule(() -> {
            if (!bridgeListening.getAsBoolean()) {
                startWhen(bridgeListening);
                return;
            }
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                join(d);
                long first = (i + 1) * PERIOD_MS / devices.size(); // staggered, as real devices are
                radio.scheduleAtFixedRate(() -> uplink(d), first, PERIOD_MS, TimeUnit.MILLISECONDS);
            }
        }, 200, TimeUnit.MILLISECONDS);
    }

    private void join(Device d) {
        ObjectNode joined = mapper.createObjectNode()
                .put("joineui", JOIN_EUI)
                .put("appeui", APP_EUI)
                .put("gweui", GATEWAY_EUI)
                .put("remote", false);
        publish("lora/" + d.eui + "/joined", joined);
        LOG.info("{} ({}) joined", d.eui, d.name);
    }

    private void uplink(Device d) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int fcnt = ++d.fcnt;
        String reading = String.format(Locale.ROOT, "T=%.1fC", d.typicalCelsius + random.nextDouble(-1, 1));
        byte[] payload = reading.getBytes(StandardCharsets.US_ASCII);
        int chan = random.nextInt(8);
        int rssi = random.nextInt(-110, -40);
        Instant now = Instant.now();
        ObjectNode up = mapper.createObjectNode()
                .put("jver", 1)
                .put("tmst", (System.nanoTime() / 1000) & 0xffff_ffffL) // the radio's 32-bit microsecond counter
                .put("time", now.toString())
                .put("tmms", now.toEpochMilli() - GPS_EPOCH_MS + GPS_LEAP_MS)
                .put("chan", chan)
                .put("rfch", chan / 4)
                .put("freq", (9023 + 2 * chan) / 10.0) // US915 sub-band 1: 902.3 MHz + 0.2 MHz per channel
                .put("mid", 8)
                .put("stat", 1)
                .put("modu", "LORA")
                .put("datr", "SF9BW125")
                .put("codr", "4/5")
                .put("rssis", rssi - 1)
                .put("lsnr", random.nextInt(-50, 120) / 10.0)
                .put("foff", random.nextInt(-3000, 3000))
                .put("rssi", rssi)
                .put("opts", "")
                .put("size", payload.length)
                .put("fcnt", fcnt)
                .put("cls", 0)
                .put("port", 10)
                // MHDR (unconfirmed data up), DevAddr and FCnt little-endian, FCtrl with ADR set
                .put("mhdr", String.format("40%08x80%04x", Integer.reverseBytes(d.devaddr),
                        Short.reverseBytes((short) fcnt) & 0xffff))
                .put("data", Base64.getEncoder().encodeToString(payload))
                .put("appeui", APP_EUI)
                .put("deveui", d.eui)
                .put("joineui", JOIN_EUI)
                .put("name", d.name)
                .put("devaddr", String.format("%08x", d.devaddr))
                .put("ack", false)
                .put("adr", true)
                .put("gweui", GATEWAY_EUI)
                .put("seqn", seqn.incrementAndGet());
        publish("lora/" + APP_EUI + "/" + d.eui + "/up", up);
        LOG.info("{} uplink fcnt {} on port 10: {}", d.eui, fcnt, reading);
    }

    private void publish(String topic, ObjectNode json) {
        try {
            client.publish(topic, mapper.writeValueAsBytes(json), 1, false);
        } catch (MqttException | IOException e) {
            // a failure would otherwise cancel the device's schedule silently
            LOG.warn("{} not published: {}", topic, e.getMessage());
        }
    }

    private void command(String topic, byte[] payload) {
        String dev = topic.split("/")[1];
        if (topic.endsWith("/clear")) {
            LOG.info("CLEAR for {}: downlink queue emptied", dev);
            return;
        }
        try {
            JsonNode down = mapper.readTree(payload);
            LOG.info("DOWNLINK for {} on port {}: {}", dev, down.path("port").asText("?"),
                    describe(down.path("data").asText("")));
        } catch (IOException e) {
            LOG.warn("DOWNLINK for {} is not JSON: {}", dev, new String(payload, StandardCharsets.UTF_8));
        }
    }

    /** Base64 {@code data} as hex, and as text too when every byte is printable ASCII. */
    private static String describe(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return "'" + base64 + "' (not base64)";
        }
        String hex = "0x" + HexFormat.of().formatHex(bytes);
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return hex;
            }
        }
        return hex + " \"" + new String(bytes, StandardCharsets.US_ASCII) + "\"";
    }

    @Override
    public void close() {
        radio.shutdownNow();
        try {
            if (client.isConnected()) {
                client.disconnect(1000);
            }
            client.close();
        } catch (MqttException e) {
            LOG.warn("network server did not disconnect cleanly: {}", e.getMessage());
        }
    }
}
