package io.camelappconnect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.AppnetsStandIn;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static org.awaitility.Awaitility.await;

/**
 * behaviour.md 10's setup: application A on a broker of its own (B's broker is there too, B not yet listed), the
 * default app on the cloud broker, lora-query the test stand-in answering from the files a test writes (read again
 * every 300 ms), backhaul detect and the management port on.
 */
abstract class AppNetworksTestSupport extends BridgeTestSupport {

    static final String APP_A = "aa-aa-aa-aa-aa-aa-aa-01";
    static final String APP_B = "bb-bb-bb-bb-bb-bb-bb-02";
    static final String APP_C = "cc-cc-cc-cc-cc-cc-cc-03";
    static final String DEV_A = "00-80-00-ff-ff-00-0a-01";
    static final String DEV_B = "00-80-00-ff-ff-00-0b-01";
    static final String DEV_DEFAULT = "00-80-00-ff-ff-00-0d-01";

    static final int PORT = EmbeddedBroker.freePort();
    static final String CONNECTION_A = "app-aaaaaaaaaaaaaa01";
    static final String CONNECTION_B = "app-bbbbbbbbbbbbbb02";
    static final String CONNECTION_C = "app-cccccccccccccc03";

    static EmbeddedBroker brokerA;
    static EmbeddedBroker brokerB;
    static Path appnets;
    private static AppnetsStandIn standIn;
    private static Path loraQuery;

    @BeforeAll
    static void twoMoreBrokersAndAStandIn() throws IOException {
        brokerA = EmbeddedBroker.start();
        brokerB = EmbeddedBroker.start();
        standIn = AppnetsStandIn.create();
        appnets = standIn.dir();
        loraQuery = standIn.command();
    }

    @AfterAll
    static void stopThem() {
        brokerA.stop();
        brokerB.stop();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("loraQuery.command", loraQuery.toString());
        p.setProperty("appnet.refresh", "300");
        p.setProperty("app.backhaulDetect.enabled", "true");
        p.setProperty("management.enabled", "true");
        p.setProperty("management.port", String.valueOf(PORT));
        try {
            list(app(APP_A, brokerA, "a"));
            Files.deleteIfExists(appnets.resolve(APP_B + ".json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A list entry: the application on that broker, with that client id. */
    static String app(String eui, EmbeddedBroker broker, String clientId) {
        return "{\"eui\":\"" + eui.replace("-", "").toUpperCase() + "\",\"url\":\"" + broker.url()
                + "\",\"options\":{\"client_id\":\"" + clientId + "\",\"check_hostname\":true}}";
    }

    /** A list entry: the application on a broker that is not there. */
    static String away(String eui) {
        return "{\"eui\":\"" + eui + "\",\"url\":\"tcp://127.0.0.1:1\"}";
    }

    /** What lora-query lists from now on. */
    static void list(String... apps) {
        standIn.list(apps);
    }

    AppNetworks networks() {
        return context.getRegistry().lookupByNameAndType("appNetworks", AppNetworks.class);
    }

    void awaitServed(String... euis) {
        await().alias("application networks served: " + List.of(euis)).atMost(10, TimeUnit.SECONDS)
                .until(() -> networks().served(), served -> served.equals(Set.of(euis)));
    }

    /** Until stopped, uplinks of A's device and the default app's, every 10 ms, fcnt 1, 2, ... */
    final class UplinksFlow {
        private final AtomicBoolean sending = new AtomicBoolean(true);
        private final List<Integer> sent = new ArrayList<>();
        private final Thread thread = new Thread(() -> {
            for (int fcnt = 1; sending.get(); fcnt++) {
                lns.publish("lora/" + APP_A + "/" + DEV_A + "/up", uplink(APP_A, DEV_A, fcnt));
                lns.publish("lora/" + APP + "/" + DEV_DEFAULT + "/up", uplink(APP, DEV_DEFAULT, fcnt));
                synchronized (sent) {
                    sent.add(fcnt);
                }
                sleep(10);
            }
        });

        UplinksFlow() {
            thread.start();
        }

        /** The fcnt of the last uplinks sent. */
        int last() {
            synchronized (sent) {
                return sent.get(sent.size() - 1);
            }
        }

        void stop() throws InterruptedException {
            sending.set(false);
            thread.join(5000);
        }
    }

    /** The fcnts of {@code dev}'s uplinks {@code probe} got, once it got {@code last} of them. */
    static Set<Integer> fcnts(MqttProbe probe, String dev, int last) {
        Set<Integer> seen = new TreeSet<>();
        await().alias(last + " uplinks of " + dev).atMost(20, TimeUnit.SECONDS).until(() -> {
            for (Received r : probe.available()) {
                if (r.topic().contains(dev)) {
                    JsonNode json = Json.MAPPER.readTree(r.payload());
                    seen.add(json.get("fcnt").asInt());
                }
            }
            return seen.size() >= last;
        });
        return seen;
    }
}
