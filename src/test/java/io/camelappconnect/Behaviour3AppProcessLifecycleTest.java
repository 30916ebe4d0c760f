package io.camelappconnect;

import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 3, the gateway's own messages as a process lives and dies: killed with kill -9, subscribers see
 * {@code lorawan/GW/disconnected} (the will), whether or not the connection was ever re-made; stopped with SIGTERM,
 * they see {@code close} and no {@code disconnected}. The app runs as its own JVM between two real Mosquittos.
 */
class Behaviour3AppProcessLifecycleTest extends AppProcessTestSupport {

    private static MqttProbe watch() {
        return new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/close", "lorawan/" + GW + "/disconnected");
    }

    @Test
    void killedBeforeAnyReconnectSubscribersSeeDisconnected() {
        try (MqttProbe cloud = watch(); AppProcess app = startApp()) {
            app.await(30, "cloud: connected to");
            app.kill();
            Received r = cloud.next(5);
            assertNotNull(r, "the will on kill -9");
            assertEquals("lorawan/" + GW + "/disconnected", r.topic());
        }
    }

    @Test
    void killedAfterAReconnectSubscribersSeeDisconnected() {
        try (MqttProbe cloud = watch(); AppProcess app = startApp()) {
            app.await(30, "cloud: connected to");
            backhaul.cut();
            assertEquals("lorawan/" + GW + "/disconnected", cloud.next(5).topic(), "the broker saw the link go");
            app.await(10, "cloud: connected to " + backhaul.url() + " as lorawan"); // the log's second such line
            awaitSecondConnect(app);
            app.kill();
            Received r = cloud.next(5);
            assertNotNull(r, "the will on kill -9, after a reconnect");
            assertEquals("lorawan/" + GW + "/disconnected", r.topic());
        }
    }

    @Test
    void connectedOnTheFirstConnectAndOnEachReconnectOnce() throws InterruptedException {
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/connected");
             AppProcess app = startApp()) {
            // the first connect may complete before the routes have started: its `connected` still goes
            assertNotNull(cloud.next(30), "connected after the first connect");
            // a sleep: its PUBACK back first, as a rule; nothing outside the app shows that it is, and the test
            // allows for it when it was not (below)
            Thread.sleep(300);
            backhaul.cut();
            assertNotNull(cloud.next(10), "connected after the reconnect");
            Received third = cloud.next(1);
            // a publish whose PUBACK the cut took is sent again after the reconnect (at least once), and says so
            if (!app.output().contains("sent but not acknowledged")) {
                assertNull(third, () -> "one connected per connect; the app wrote:\n" + app.output());
            }
        }
    }

    @Test
    void sigtermPublishesCloseAndNoDisconnected() {
        try (MqttProbe cloud = watch(); AppProcess app = startApp()) {
            app.await(30, "cloud: connected to");
            app.terminate();
            Received r = cloud.next(5);
            assertNotNull(r, "close on SIGTERM");
            assertEquals("lorawan/" + GW + "/close", r.topic());
            assertNull(cloud.next(2), "nothing after close, no disconnected");
        }
    }

    private static void awaitSecondConnect(AppProcess app) {
        await().alias("a second 'cloud: connected to' line (the reconnect)").atMost(10, TimeUnit.SECONDS)
                .pollInterval(50, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertTrue(app.output().split("cloud: connected to", -1).length >= 3,
                        () -> "the app wrote:\n" + app.output()));
    }
}
