package io.camelappconnect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.PackagedApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22: the packaged jar run as the README says ({@code java @config/jvm.options -jar camel-app-connect.jar} in a
 * directory holding what {@code mvn package} made: the jar, its class-data archive, config/ and routes/, copied with
 * their times). At rest, after an uplink too, it has at most 16 threads, none of them idle for good (RxJava's, a
 * one-shot scheduler's, a ProducerTemplate's, a subscription's worker), and it maps the archive. Without the archive, or with one made for another jar, it starts all
 * the same, with nothing about it among the app's log on standard output.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FootprintIT {

    private static final Path TARGET = Path.of("target");
    private static final String JAR = "camel-app-connect.jar";
    private static final String ARCHIVE = "camel-app-connect.jsa";
    private static final int MAX_THREADS = 16;

    @TempDir
    Path dir;

    @Test
    void atRestSixteenThreadsAndTheArchiveMappedAndWithoutItTheSameStartQuietly() throws Exception {
        Files.copy(TARGET.resolve(JAR), dir.resolve(JAR), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(TARGET.resolve(ARCHIVE), dir.resolve(ARCHIVE), StandardCopyOption.COPY_ATTRIBUTES);
        PackagedApp.copy(Path.of("config"), dir.resolve("config"));
        PackagedApp.copy(Path.of("routes"), dir.resolve("routes"));
        try (Mosquitto lns = Mosquitto.start(); Mosquitto cloud = Mosquitto.start()) {
            Run archived = run(lns, cloud);
            assertTrue(archived.mapsArchive, "the JVM maps " + ARCHIVE);
            assertTrue(archived.threads.size() <= MAX_THREADS, archived.threads.size() + " threads: " + archived.threads);
            for (String idle : List.of("Rx", "scheduler://", "ProducerTemplate", "lns lora/")) {
                assertTrue(archived.threads.stream().noneMatch(t -> t.contains(idle)), idle + ": " + archived.threads);
            }

            // a jar that is not the one the archive was made from (here: its time changed, as a plain cp does)
            Files.setLastModifiedTime(dir.resolve(JAR), FileTime.fromMillis(System.currentTimeMillis()));
            Run mismatched = run(lns, cloud);
            assertFalse(mismatched.mapsArchive, "an archive of another jar is not used");
            assertTrue(mismatched.stderr.contains(ARCHIVE), "standard error says why: " + mismatched.stderr);

            Files.delete(dir.resolve(ARCHIVE));
            Run none = run(lns, cloud);
            assertFalse(none.mapsArchive);
            assertEquals("", none.stderr, "no archive: nothing said");
            System.out.printf("FOOTPRINT start to init: %.2f s with the class-data archive, %.2f s with another jar's,"
                    + " %.2f s without; at rest %d threads, RSS %.1f MiB with it, %.1f MiB without%n", archived.seconds,
                    mismatched.seconds, none.seconds, archived.threads.size(), archived.rssMiB, none.rssMiB);
        }
    }

    private record Run(double seconds, List<String> threads, boolean mapsArchive, double rssMiB, String stderr) {
    }

    /** The README's command until init, then at rest; what standard output has then is the app's log alone. */
    private Run run(Mosquitto lns, Mosquitto cloudBroker) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".log");
        Path err = Files.createTempFile(dir, "err", ".log");
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url())) {
            cloud.publish("lorawan/" + GW + "/init", new byte[0], true); // the last run's
            cloud.subscribe("lorawan/" + GW + "/init");
            long start = System.nanoTime();
            Process app = new ProcessBuilder(java(), "@config/jvm.options", "-Dapp.url=" + cloudBroker.url(),
                    "-Dlns.url=" + lns.url(), "-Dgateway.uuid=" + GW, "-Dgateway.euis=00-80-00-00-d0-00-01-1a",
                    "-jar", JAR).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                MqttProbe.Received init = cloud.next("lorawan/" + GW + "/init", 30);
                double seconds = (System.nanoTime() - start) / 1e9;
                assertNotNull(init, "init; the app wrote:\n" + Files.readString(out) + Files.readString(err));
                // an uplink through: its subscription's worker thread comes, and goes once idle (10 s)
                String up = "/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-01/up";
                cloud.subscribe("lorawan/" + GW + up);
                try (MqttProbe gateway = new MqttProbe(lns.url())) {
                    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                        gateway.publish("lora" + up, "{\"port\":1,\"data\":\"QA==\"}");
                        return cloud.next("lorawan/" + GW + up, 0.5) != null;
                    });
                }
                // at rest: what the start, the first connects and the uplink ran on has ended
                // (camel.threadpool.keepAliveTime, the subscription's worker)
                List<String> threads = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> threads(app.pid()), hasSize(lessThanOrEqualTo(MAX_THREADS)));
                String maps = Files.readString(Path.of("/proc/" + app.pid() + "/maps"));
                double rss = Files.readAllLines(Path.of("/proc/" + app.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")))
                        .findFirst().orElseThrow() / 1024.0;
                String stdout = Files.readString(out);
                assertTrue(stdout.lines().noneMatch(l -> l.startsWith("[") || l.contains("|-WARN")),
                        "only the app's log on standard output:\n" + stdout);
                return new Run(seconds, threads, maps.contains(ARCHIVE), rss,
                        Files.readString(err).strip());
            } finally {
                app.destroy();
                if (!app.waitFor(20, TimeUnit.SECONDS)) {
                    app.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** The JVM's threads by name, as jcmd lists them, less the one jcmd's attach makes. */
    private static List<String> threads(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(pid), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(jcmd.waitFor(30, TimeUnit.SECONDS), "jcmd");
        return dump.lines().filter(l -> l.startsWith("\"")).map(l -> l.substring(1, l.indexOf('"', 1)))
                .filter(name -> !name.equals("Attach Listener")).toList();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
