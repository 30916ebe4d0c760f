package io.camelappconnect;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.TcpProxy;
import io.camelappconnect.support.UplinkRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * behaviour.md 7 under the faults of a cellular backhaul, counted per uplink: the app (its own JVM) between two real
 * Mosquittos, 200 uplinks a second from 50 devices, the cloud 100 ms of round trip away through a relay. Nothing
 * may be lost and nothing come out of order per device; duplicates are counted and printed (at least once).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class Behaviour7LinkFaultsTest extends AppProcessTestSupport {

    private static final int RATE = 200;
    private static final int DEVICES = 50;

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

    /** Uplinks at 200 a second from 50 devices for the run's length, tallied at the cloud broker. */
    private static final class Run implements AutoCloseable {
        final UplinkRun load;

        Run(int seconds) {
            load = new UplinkRun(lnsBroker.url(), cloudBroker.url(), RATE, DEVICES, seconds);
        }

        void finish(String fault) throws InterruptedException {
            load.finish(fault, 90);
        }

        @Override
        public void close() throws InterruptedException {
            load.close();
            cellular.refuse(false);
        }
    }
}
