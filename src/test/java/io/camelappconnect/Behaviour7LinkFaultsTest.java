package io.camelappconnect;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TcpProxy;
import io.camelappconnect.support.UplinkTally;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 7 under the faults of a cellular backhaul, counted per uplink: the app (its own JVM) between two real
 * Mosquittos, 200 uplinks a second from 50 devices, the cloud 100 ms of round trip away through a relay. Nothing
 * may be lost and nothing come out of order per device; duplicates are counted and printed (at least once).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class Behaviour7LinkFaultsTest extends AppProcessTestSupport {

    private static final int RATE = 200;
    private static final int DEVICES = 50;

    /** Each run's devices are its own: what an earlier run left on the LNS broker is not counted in a later one. */
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** 50 ms each way: a 100 ms round trip. */
    private static TcpProxy cellular;

    @BeforeAll
    static void startRelay() throws IOException {
        cellular = TcpProxy.delaying(cloudBroker.port(), 50);
    }

    @AfterAll
    static void stopRelay() throws IOException {
        cellular.close();
    }

    @Test
    void theAppKilledEvery10SecondsLosesNoUplink() throws Exception {
        AppProcess app = start();
        try (Run run = new Run(40)) {
            for (int kill = 1; kill <= 3; kill++) {
                Thread.sleep(10_000); // a sleep: the fault's pace, a kill every 10 s
                app.kill();
                app = startApp(Map.of("app.url", cellular.url())); // at once (systemd's Restart waits 5 s)
            }
            run.finish("app kill -9 every 10 s, 200 uplinks/s, 100 ms RTT");
        } finally {
            app.close();
        }
    }

    @RepeatedTest(3)
    void theCloudLinkCut60TimesIn60SecondsLosesNoUplink() throws Exception {
        try (AppProcess app = start(); Run run = new Run(60)) {
            for (int cut = 1; cut <= 60; cut++) {
                Thread.sleep(700); // sleeps: the fault's pace, the link up 0.7 s
                cellular.down();
                Thread.sleep(300); // and down 0.3 s
                cellular.refuse(false);
            }
            run.finish("cloud link cut 60 times in 60 s (0.7 s up, 0.3 s down), 200 uplinks/s, 100 ms RTT");
        }
    }

    private AppProcess start() {
        AppProcess app = startApp(Map.of("app.url", cellular.url()));
        app.await(30, "cloud: connected to");
        app.await(10, "lns: connected to");
        return app;
    }

    /** Uplinks at 200 a second for the run's length, and a tally of what reaches the cloud broker. */
    private static final class Run implements AutoCloseable {
        final int sent;
        final UplinkTally tally = new UplinkTally();
        final MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
        final MqttProbe lns = new MqttProbe(lnsBroker.url());
        final AtomicBoolean receiving = new AtomicBoolean(true);
        final AtomicInteger published = new AtomicInteger();
        final Thread receiver = new Thread(this::receive, "receiver");
        final Thread publisher;
        final int id = RUNS.incrementAndGet();

        Run(int seconds) {
            sent = seconds * RATE;
            receiver.start();
            publisher = new Thread(this::publish, "publisher");
            publisher.start();
        }

        private void publish() {
            long start = System.nanoTime();
            for (int i = 0; i < sent; i++) {
                long due = start + i * (1_000_000_000L / RATE);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) { // the load's pace: 200 a second
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int d = i % DEVICES;
                String dev = String.format("00-80-00-00-%02x-02-%02x-%02x", id, d / 256, d % 256);
                lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, i / DEVICES + 1));
                published.incrementAndGet();
            }
        }

        private void receive() {
            while (receiving.get()) {
                MqttProbe.Received r = cloud.next(0.2);
                if (r != null && !r.retained()) { // retained: an earlier run's last uplinks, sent on subscribing
                    tally.add(r.topic(), r.payload());
                }
            }
        }

        /** Waits for the last uplink to be published and for every one to arrive (or a minute), then counts. */
        void finish(String fault) throws InterruptedException {
            publisher.join();
            try {
                await().atMost(90, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                        .until(() -> tally.distinct() >= sent);
            } catch (ConditionTimeoutException e) {
                // what is missing is counted below
            }
            Thread.sleep(1000); // a sleep: what comes within 1 s more (duplicates on their way) is counted too
            String summary = tally.summary(fault, sent);
            System.out.println(summary);
            assertEquals(sent, published.get());
            assertEquals(sent, tally.distinct(), summary);
            assertEquals(0, tally.outOfOrder(), summary);
        }

        @Override
        public void close() throws InterruptedException {
            publisher.interrupt();
            receiving.set(false);
            receiver.join();
            cloud.close();
            lns.close();
            cellular.refuse(false);
        }
    }
}
