package io.camelappconnect.support;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The bridge as it runs on a gateway (config/application.properties, routes/*.yaml, AppConfiguration) between two
 * real brokers over TCP: an LNS broker and a cloud broker, each an embedded Moquette ({@link WithMosquitto}: a
 * Mosquitto process; {@link CloudOnHiveMq}: HiveMQ CE for the cloud), reached directly or ({@link ThroughRelays})
 * through relays a test can cut. Each test gets a fresh bridge; the brokers live for the test class.
 */
public abstract class BridgeTestSupport extends AppAsConfigured {

    public static final String GW = "029998e0-6156-cdd4-4523-264b523115c1";
    public static final String APP = "8b-6c-f0-8e-ee-df-1b-b6";

    protected static TestBroker lnsBroker;
    protected static TestBroker cloudBroker;
    /** The bridge's way to each broker in a {@link ThroughRelays} class, else null. */
    protected static TcpProxy toLns;
    protected static TcpProxy toCloud;

    protected MqttProbe lns;
    protected MqttProbe cloud;
    /** From the test instance's start, so that what the bridge logs as it starts is seen too. */
    protected final LogCapture log = LogCapture.capture();

    @BeforeAll
    static void startBrokers(TestInfo test) throws IOException {
        Class<?> testClass = test.getTestClass().orElseThrow();
        boolean mosquitto = testClass.isAnnotationPresent(WithMosquitto.class);
        boolean hiveMq = testClass.isAnnotationPresent(CloudOnHiveMq.class);
        lnsBroker = mosquitto || hiveMq ? Mosquitto.start() : EmbeddedBroker.start();
        cloudBroker = hiveMq ? HiveMq.start() : mosquitto ? Mosquitto.start() : EmbeddedBroker.start();
        if (testClass.isAnnotationPresent(ThroughRelays.class)) {
            toLns = new TcpProxy(lnsBroker.port());
            toCloud = new TcpProxy(cloudBroker.port());
        }
    }

    /** The embedded broker's record of CONNECTs and SUBSCRIBEs. */
    protected static EmbeddedBroker embedded(TestBroker broker) {
        return (EmbeddedBroker) broker;
    }

    @AfterAll
    static void stopBrokers() throws IOException {
        if (toCloud != null) {
            toLns.close();
            toCloud.close();
            toLns = toCloud = null;
        }
        lnsBroker.stop();
        cloudBroker.stop();
    }

    @BeforeEach
    void connectProbes() {
        if (brokersUpAtStart()) {
            awaitConnected("cloud");
            awaitConnected("lns");
            lns = new MqttProbe(lnsBroker.url());
            cloud = new MqttProbe(cloudBroker.url());
        }
    }

    /** False for a test that starts the bridge with a broker down and connects its probes itself. */
    protected boolean brokersUpAtStart() {
        return true;
    }

    @AfterEach
    void closeProbes() {
        for (MqttProbe probe : new MqttProbe[] {lns, cloud}) {
            if (probe != null) {
                probe.close();
            }
        }
        for (TcpProxy relay : new TcpProxy[] {toLns, toCloud}) {
            if (relay != null) { // as the next test expects its way to the broker
                relay.refuse(false);
                relay.hold(false);
            }
        }
        log.close();
    }

    @Override
    protected void settings(Properties p) {
        p.setProperty("app.url", toCloud != null ? toCloud.url() : cloudBroker.url());
        p.setProperty("lns.url", toLns != null ? toLns.url() : lnsBroker.url());
        p.setProperty("gateway.uuid", GW);
        p.setProperty("gateway.serial", "18581234");
        p.setProperty("gateway.euis", "00-80-00-00-d0-00-01-1a,00800000d00001ff");
        p.setProperty("mqtt.reconnect.initialDelay", "100");
        p.setProperty("mqtt.reconnect.maxDelay", "500");
        p.setProperty("store.dir", storeDir().toString());
        properties(p);
    }


    /** A test class's own settings on top of the defaults above. */
    protected void properties(Properties p) {
    }

    protected MqttConnection broker(String name) {
        return context.getComponent(name, MqttComponent.class).connection();
    }

    /**
     * An uplink of {@code dev} each half second until one reaches the cloud: after a reconnect, one published before
     * the subscriptions are made again is lost, as on any broker without our session.
     */
    protected void uplinksUntilOneArrives(String dev, int seconds, String what) {
        await().alias(what).atMost(seconds, TimeUnit.SECONDS)
                .pollDelay(Duration.ZERO).pollInterval(10, TimeUnit.MILLISECONDS)
                .until(() -> {
                    lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
                    return cloud.next("lorawan/" + GW + "/" + APP + "/" + dev + "/up", 0.5);
                }, Objects::nonNull);
    }

    protected void awaitConnected(String name) {
        await().alias("the bridge's " + name + " connection up").atMost(10, TimeUnit.SECONDS)
                .pollDelay(Duration.ZERO).pollInterval(10, TimeUnit.MILLISECONDS)
                .until(() -> broker(name).isConnected());
    }

    /**
     * behaviour.md 3 on a {@link ThroughRelays} class: the cloud link dropped without a goodbye makes the broker
     * publish the will (empty), and the reconnect says {@code connected}.
     */
    protected void cutTheCloudLinkAndSeeTheWillThenConnected() {
        cloud.subscribe("lorawan/" + GW + "/disconnected", "lorawan/" + GW + "/connected");

        toCloud.cut();

        MqttProbe.Received will = cloud.next("lorawan/" + GW + "/disconnected", 10);
        assertNotNull(will, "the broker published the will");
        assertEquals(0, will.payload().length);
        assertNotNull(cloud.next("lorawan/" + GW + "/connected", 10), "connected after the reconnect");
    }


    /** A realistic uplink as the LNS publishes it (behaviour.md 2). */
    public static String uplink(String app, String dev, int fcnt) {
        return "{\"jver\":1,\"tmst\":561224395,\"time\":\"2023-03-04T23:14:39.522787Z\",\"tmms\":1362006897523,"
                + "\"chan\":6,\"rfch\":1,\"freq\":903.5,\"mid\":8,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF9BW125\","
                + "\"codr\":\"4/5\",\"rssis\":-14,\"lsnr\":9.2,\"foff\":-2769,\"rssi\":-13,\"opts\":\"03070307\","
                + "\"size\":8,\"fcnt\":" + fcnt + ",\"cls\":0,\"port\":33,\"mhdr\":\"80cb80d000840100\","
                + "\"data\":\"dGVzdGRhdGE=\",\"appeui\":\"" + app + "\",\"deveui\":\"" + dev + "\","
                + "\"joineui\":\"16-ea-76-f6-ab-66-3d-80\",\"name\":\"JSR-DEBIAN-PC-DOT2\",\"devaddr\":\"00d080cb\","
                + "\"ack\":false,\"adr\":true,\"gweui\":\"00-80-00-00-d0-00-01-ff\",\"seqn\":" + fcnt + "}";
    }
}
