package io.camelappconnect;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.UplinkTally;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7 when the disk itself fails (issue 20, finding 3): the app as its own process, its store.dir on a
 * real tmpfs. A store that fills during a cloud outage, and one read-only at start and mid-run: no uplink the LNS
 * broker sent is lost (what the disk can't take waits in memory, not acknowledged, so the LNS broker holds the rest),
 * live forwarding needs no disk, health is DOWN naming store.dir while it can't be written and UP once it can. Real
 * Mosquitto for the LNS and the cloud; the backhaul is a TCP relay the test takes down. Needs mount (root).
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class Behaviour7StoreDiskFaultsTest extends AppProcessTestSupport {

    private static final int PORT = EmbeddedBroker.freePort();
    private static final int DEVICES = 20;

    private final Deque<Path> mounts = new ArrayDeque<>();

    @AfterEach
    void unmount() {
        while (!mounts.isEmpty()) {
            run("umount", "-l", mounts.pop().toString());
        }
    }

    @BeforeAll
    static void inOrder() throws IOException {
        lnsBrokerInOrder();
    }

    @Test
    void aStoreThatFillsDuringAnOutageLosesNoUplinkAndHealthNamesIt() throws Exception {
        Path dir = tmpfs("size=1m"); // 1 MiB: some 1,500 uplinks, far below store.maxMiB
        int perDevice = 150;
        UplinkTally tally = new UplinkTally();
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess app = start(dir)) {
            app.await(30, "cloud: connected to");
            app.await(10, "lns: connected to");
            backhaul.down();
            app.await(10, "cloud: connection to " + backhaul.url() + " lost");

            publish(lns, 1, 1, perDevice);
            app.await(60, "No space left on device");
            HttpResponse<String> down = Http.awaitStatus(PORT, "/observe/health?data=true", 503, 10);
            assertTrue(down.body().contains("store.dir") && down.body().contains("No space left"), down.body());
            System.out.println("HEALTH while the disk is full: " + down.body().replaceAll("\\s+", " "));

            backhaul.refuse(false);
            int sent = DEVICES * perDevice;
            tally.collect(cloud, devices(1), sent, 120);
            System.out.println(tally.summary("store.dir full during an outage", sent));
            assertEquals(sent, tally.distinct(), tally.summary("store.dir full", sent));
            assertEquals(0, tally.outOfOrder(), tally.summary("store.dir full", sent));
            HttpResponse<String> up = Http.awaitStatus(PORT, "/observe/health?data=true", 200, 30);
            assertEquals(200, up.statusCode(), up.body());
            app.terminate();
        }
    }

    @Test
    void aStoreReadOnlyAtStartAndMidRunStopsNeitherTheStartNorForwarding() throws Exception {
        Path dir = tmpfs("size=4m");
        assertEquals(0, run("mount", "-o", "remount,ro", dir.toString()));
        UplinkTally tally = new UplinkTally();
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url());
             AppProcess app = start(dir)) {
            app.await(30, "cloud: connected to");
            app.await(10, "lns: connected to");
            HttpResponse<String> down = Http.awaitStatus(PORT, "/observe/health?data=true", 503, 10);
            assertTrue(plain(down).contains("store.dir: cannot use " + dir) && plain(down).contains("Read-only"),
                    down.body());
            System.out.println("HEALTH with store.dir read-only at start: " + down.body().replaceAll("\\s+", " "));

            publish(lns, 2, 1, 5); // live: no disk needed
            tally.collect(cloud, devices(2), DEVICES * 5, 30);

            assertEquals(0, run("mount", "-o", "remount,rw", dir.toString()));
            HttpResponse<String> up = Http.awaitStatus(PORT, "/observe/health?data=true", 200, 30);
            assertEquals(200, up.statusCode(), up.body());

            // mid-run: the store's directory read-only for new files (a read-only file system mounted over it: the
            // remount of one with files open for writing is refused)
            Path cloudStore = dir.resolve("cloud");
            assertTrue(Files.isDirectory(cloudStore), "the store opened once it could");
            mount("-t", "tmpfs", "-o", "ro", "tmpfs", cloudStore.toString());
            backhaul.down();
            app.await(10, "cloud: connection to " + backhaul.url() + " lost");
            publish(lns, 2, 6, 10);
            String midRun = await().alias("health naming the read-only store").atMost(15, TimeUnit.SECONDS)
                    .pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> plain(Http.get(PORT, "/observe/health?data=true")),
                            b -> b.contains("cannot write to store.dir: " + cloudStore) && b.contains("Read-only"));
            System.out.println("HEALTH with store.dir read-only mid-run: " + midRun);

            assertEquals(0, run("umount", mounts.pop().toString())); // writable again
            backhaul.refuse(false);
            int sent = DEVICES * 10;
            tally.collect(cloud, devices(2), sent, 60);
            System.out.println(tally.summary("store.dir read-only at start and mid-run", sent));
            assertEquals(sent, tally.distinct(), tally.summary("store.dir read-only", sent));
            assertEquals(0, tally.outOfOrder(), tally.summary("store.dir read-only", sent));
            up = Http.awaitStatus(PORT, "/observe/health?data=true", 200, 30);
            assertEquals(200, up.statusCode(), up.body());
            app.terminate();
        }
    }

    /** The health answer without JSON's escapes, as a path is written. */
    private static String plain(HttpResponse<String> health) {
        return health.body().replace("\\", "").replaceAll("\\s+", " ");
    }

    private AppProcess start(Path dir) {
        return startApp(Map.of("store.dir", dir.toString(), "management.enabled", "true",
                "management.port", String.valueOf(PORT)));
    }

    /** @param test devices of its own for each test: the cloud broker keeps the last uplink of each, retained */
    private static void publish(MqttProbe lns, int test, int fromFcnt, int toFcnt) {
        for (int fcnt = fromFcnt; fcnt <= toFcnt; fcnt++) {
            for (int d = 0; d < DEVICES; d++) {
                String dev = devices(test) + String.format("%02x", d);
                lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, fcnt));
            }
        }
    }

    private static String devices(int test) {
        return String.format("00-80-00-00-00-%02x-00-", test);
    }

    /** A fresh tmpfs with these options, unmounted after the test; the test is skipped where mount is not allowed. */
    private Path tmpfs(String options) throws IOException {
        Path dir = Files.createDirectories(store.resolve("disk"));
        mount("-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
        return dir;
    }

    private void mount(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "mount";
        System.arraycopy(args, 0, command, 1, args.length);
        Assumptions.assumeTrue(run(command) == 0, "mount is not permitted here: " + List.of(command));
        mounts.push(Path.of(args[args.length - 1]));
    }

    private static int run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
