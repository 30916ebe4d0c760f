package io.camelappconnect.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;

/**
 * The bridge as its own process ({@link AppProcess}) between two real Mosquittos, reaching the cloud through a TCP
 * relay the test can take down as a backhaul goes down. The brokers live for the test class; each test has its
 * own store directory.
 */
public abstract class AppProcessTestSupport {

    protected static Mosquitto lnsBroker;
    protected static Mosquitto cloudBroker;
    protected static TcpProxy backhaul;

    @TempDir
    protected Path store;

    @BeforeAll
    static void startBrokers() throws IOException {
        lnsBroker = Mosquitto.start();
        cloudBroker = Mosquitto.start();
        backhaul = TcpProxy.mqtt(cloudBroker.port());
    }

    @AfterAll
    static void stopBrokers() throws IOException {
        backhaul.close();
        lnsBroker.stop();
        cloudBroker.stop();
    }

    /**
     * The LNS broker again, with one QoS 1 message in flight at a time, for a test whose uplinks must reach the bridge
     * in order while it holds acknowledgements. Debian 12's Mosquitto (2.0.11) does not keep its in-flight bound then:
     * its log showed 1,344 messages in flight to the bridge where 20 are allowed, and its source
     * (db__message_delete_outgoing, db__message_write_inflight_out_latest) can then pass a message over, or let a new
     * one skip the queue; its quota handling was fixed in 2.0.13 (mosquitto #2306). Uplinks then reached the bridge out
     * of order, with nothing in its log: 23 and 130 of 3,000 on a full disk (2 of about 45 loaded runs), 1 of 100 as a
     * LENS application came up. Its manual says one in flight guarantees the order.
     */
    protected static void lnsBrokerInOrder() throws IOException {
        lnsBroker.stop();
        lnsBroker = Mosquitto.start((port, dir) -> "listener " + port + " 127.0.0.1\nallow_anonymous true\n"
                + "max_inflight_messages 1\n");
    }

    @BeforeEach
    void backhaulUp() {
        backhaul.refuse(false);
    }

    /**
     * Started with the project's configuration plus the brokers, this test's store and quick reconnects, and a login
     * to the cloud broker (which lets anyone in) so that NoSecretInLogs greps the app's log for its password.
     */
    protected AppProcess startApp() {
        return startApp(Map.of());
    }

    /** As {@link #startApp()}, with a test's own settings on top. */
    protected AppProcess startApp(Map<String, String> more) {
        return AppProcess.start(settings(more));
    }

    /** As {@link #startApp(Map)}, with environment variables of its own (a preloaded library, ...). */
    protected AppProcess startApp(Map<String, String> more, Map<String, String> environment) {
        return AppProcess.start(settings(more), environment);
    }

    /** As {@link #startApp(Map)}, with config/jvm.options' JVM flags, as on a gateway. */
    protected AppProcess startAppAsDeployed(Map<String, String> more) {
        return AppProcess.startAsDeployed(settings(more));
    }

    /** Uplinks {@code fromFcnt} to {@code toFcnt} of each of {@code devices} devices, round-robin, to the LNS broker. */
    protected static void publishUplinks(MqttProbe lns, int devices, int fromFcnt, int toFcnt) {
        for (int fcnt = fromFcnt; fcnt <= toFcnt; fcnt++) {
            for (int d = 0; d < devices; d++) {
                String dev = String.format("00-80-00-00-00-00-%02x-%02x", d / 256, d % 256);
                lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt));
            }
        }
    }

    private Map<String, String> settings(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of("app.url", backhaul.url(), "lns.url", lnsBroker.url(),
                "gateway.uuid", GW, "gateway.euis", "00-80-00-00-d0-00-01-1a", "store.dir", store.toString(),
                "mqtt.reconnect.initialDelay", "100", "mqtt.reconnect.maxDelay", "500"));
        settings.putAll(more);
        if (!settings.get("app.url").startsWith("http")) { // a web server would only be warned about them
            settings.putIfAbsent("app.options.username", "gateway-7");
            settings.putIfAbsent("app.options.password", TestSecrets.BROKER_PASSWORD);
        }
        return settings;
    }

    /**
     * The bridge has taken all it will from the LNS broker when the store stops growing: the same size, not 0, two
     * looks a second apart. After 30 s without that, the test goes on all the same (and says so).
     */
    protected void awaitStoreSettled() {
        AtomicLong size = new AtomicLong(-1);
        try {
            await().alias("the store settled").atMost(30, TimeUnit.SECONDS).pollInterval(1, TimeUnit.SECONDS)
                    .until(() -> {
                        long now = storeBytes();
                        return now > 0 && now == size.getAndSet(now);
                    });
        } catch (ConditionTimeoutException e) {
            System.out.println("the store still grew after 30 s (" + size.get() + " bytes): going on all the same");
        }
    }

    private long storeBytes() throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
