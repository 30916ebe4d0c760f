package io.camelappconnect;

import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 7, the store survives a kill -9: the app, as its own process, keeps 5,000 uplinks during a backhaul
 * outage, is killed with kill -9, started again, and the link comes back: all 5,000 arrive, in order per device.
 * Real Mosquitto for the LNS and the cloud; the backhaul is a TCP relay the test takes down.
 */
// 5,000 uplinks kept, a kill and a restart: longer than the default test timeout on a slow machine
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour7AppKilledDuringOutageTest extends AppProcessTestSupport {

    private static final int DEVICES = 50;
    private static final int PER_DEVICE = 100;
    private static final int SENT = DEVICES * PER_DEVICE;

    @Test
    void everyUplinkKeptDuringAnOutageArrivesAfterTheAppIsKilledAndStartedAgain() throws Exception {
        UplinkTally tally = new UplinkTally();
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess first = startApp()) {
            first.await(30, "cloud: connected to");
            first.await(10, "lns: connected to");

            backhaul.down();
            first.await(10, "cloud: connection to " + backhaul.url() + " lost");
            publishUplinks(lns, DEVICES, 1, PER_DEVICE);
            awaitStoreSettled();
            first.kill();

            try (AppProcess second = startApp()) {
                String kept = second.await(30, "messages kept in");
                backhaul.refuse(false);
                tally.collect(cloud, "", SENT, 60);
                System.out.println(tally.summary("app kill -9 during an outage (" + kept.replaceAll(".*\\] ", "") + ")",
                        SENT));
                assertEquals(SENT, tally.distinct(), tally.summary("app kill -9", SENT));
                assertEquals(0, tally.outOfOrder(), tally.summary("app kill -9", SENT));
                second.terminate();
            }
        }
    }
}
