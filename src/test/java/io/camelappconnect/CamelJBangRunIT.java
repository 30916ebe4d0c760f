package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The routes under Camel JBang's `camel run`, with the project's processors on the classpath, started with the
 * command of docs/routes.md's "Trying routes with Camel JBang" (mvn -q -Pjbang -Djbang.args=...) as its own process
 * between two Mosquittos. It announces the gateway (init, with the EUIs it was given), forwards an uplink and an
 * older firmware's uplink (whose cloud topic deviceEuis reads from the JSON), and publishes close when stopped with
 * SIGTERM. The jbang profile gives it the Maven to run; without the profile it is skipped (.ci/run runs it with the
 * profile).
 */
// its own waits allow a first JBang run 5 minutes to resolve the launcher
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@EnabledIfSystemProperty(named = "jbang.mvn", matches = ".+", disabledReason = "runs with -Pjbang (.ci/run does)")
class CamelJBangRunIT {

    private static final String DEV = "00-80-00-ff-ff-00-00-71";
    private static final String EUIS = "00-80-00-00-d0-00-01-1a";

    @TempDir
    Path dir;

    @Test
    void camelRunBridgesUplinksWithTheProjectsProcessors() throws Exception {
        try (Mosquitto lnsBroker = Mosquitto.start(); Mosquitto cloudBroker = Mosquitto.start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/#");
             MqttProbe connected = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/connected");
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            Path output = dir.resolve("jbang.log");
            Path routes = Files.createDirectories(dir.resolve("routes")); // a copy, edited below while it runs
            try (var files = Files.list(Path.of("routes"))) {
                for (Path route : files.toList()) {
                    Files.copy(route, routes.resolve(route.getFileName()));
                }
            }
            List<String> command = List.of(System.getProperty("jbang.mvn"), "-B", "-q", "-Pjbang",
                    "-Dmaven.repo.local=" + System.getProperty("jbang.repo"),
                    "-Djbang.args=--prop=app.url=" + cloudBroker.url() + " --prop=lns.url=" + lnsBroker.url()
                            + " --prop=gateway.uuid=" + GW + " --prop=gateway.euis=" + EUIS
                            + " --prop=store.dir=" + dir.resolve("store")
                            + " --prop=camel.main.routesIncludePattern=file:" + routes + "/*.yaml"
                            + " --prop=camel.main.routesReloadEnabled=true --prop=camel.main.routesReloadDirectory=" + routes);
            long start = System.nanoTime();
            Process mvn = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            try {
                // the first run on a machine also downloads what `camel run` adds (camel-kamelets)
                Received init = awaitWhileAlive(cloud, "lorawan/" + GW + "/init", 300, mvn);
                double toInit = (System.nanoTime() - start) / 1e9;
                assertNotNull(init, "init from the JBang run; it wrote:\n" + Files.readString(output));
                JsonNode json = Json.MAPPER.readTree(init.payload());
                assertEquals("[\"" + EUIS + "\"]", json.get("gateways_euis").toString(), init.text());
                assertTrue(Files.readString(output).contains("Apache Camel (JBang) "),
                        "run by Camel JBang:\n" + Files.readString(output));
                // the first connect can complete before the routes have started (more often under JBang): its
                // connected still goes
                assertNotNull(connected.next(10),
                        "connected after the first connect; the run wrote:\n" + Files.readString(output));
                awaitLine(output, "lns: connected to", 10); // and so subscribed

                lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 1));
                Received up = cloud.next("lorawan/" + GW + "/" + APP + "/" + DEV + "/up", 10);
                assertNotNull(up, "the uplink on the cloud broker; the run wrote:\n" + Files.readString(output));
                assertTrue(up.text().contains("\"fcnt\":1,") && up.text().contains("\"deveui\":\"" + DEV + "\""),
                        up.text());
                // older firmware: lora/<DEV-EUI>/up, the AppEUI only in the JSON
                lns.publish("lora/" + DEV.replace("-", "").toUpperCase() + "/up", uplink(APP, DEV, 2));
                Received legacy = cloud.next("lorawan/" + GW + "/" + APP + "/" + DEV + "/up", 10);
                assertNotNull(legacy, "the older firmware's uplink; the run wrote:\n" + Files.readString(output));
                assertTrue(legacy.text().contains("\"fcnt\":2,"), legacy.text());

                // edit and see: a step added to the running routes (live reload), the next uplink goes through it
                Path uplinks = routes.resolve("uplinks.yaml");
                String yaml = Files.readString(uplinks);
                String step = "            ref: uplinkData\n";
                assertTrue(yaml.contains(step), "the uplink route has its uplinkData step");
                Files.writeString(uplinks, yaml.replace(step, step + "        - transform:\n"
                        + "            jq: '. + {site: \"edited\"}'\n"));
                Received edited = await().alias("an uplink through the edited route").atMost(Duration.ofSeconds(20))
                        .until(() -> {
                            lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 3));
                            return cloud.next("lorawan/" + GW + "/" + APP + "/" + DEV + "/up", 1);
                        }, r -> r != null && r.text().contains("\"site\":\"edited\""));
                assertNotNull(edited);

                ProcessHandle run = camelRun(mvn, output);
                run.destroy(); // SIGTERM
                assertNotNull(cloud.next("lorawan/" + GW + "/close", 15),
                        "close on SIGTERM; the run wrote:\n" + Files.readString(output));
                run.onExit().get(20, TimeUnit.SECONDS); // stopped, else a TimeoutException
                System.out.printf("JBANG mvn -Pjbang: %.1f s from the command to init%n", toInit);
            } finally {
                stop(mvn);
            }
        }
    }

    /** The next message on {@code topic}; null after {@code seconds}, or as soon as {@code process} has ended. */
    private static Received awaitWhileAlive(MqttProbe probe, String topic, double seconds, Process process) {
        try {
            return await().alias(topic + " while the run lives").atMost(Duration.ofMillis((long) (seconds * 1000)))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .failFast("the run ended", () -> !process.isAlive())
                    .until(() -> probe.next(topic, 0.5), Objects::nonNull);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            return probe.next(topic, 0.5); // what it sent before it ended
        }
    }

    private static void awaitLine(Path output, String text, double seconds) {
        await().alias("a line with '" + text + "'").atMost(Duration.ofMillis((long) (seconds * 1000)))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertTrue(Files.readString(output).contains(text),
                        () -> "the run wrote:\n" + readQuietly(output)));
    }

    private static String readQuietly(Path output) {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The JVM that runs `camel run`, which mvn started. */
    private static ProcessHandle camelRun(Process mvn, Path output) throws IOException {
        Optional<ProcessHandle> run = mvn.descendants().filter(p -> argv(p).contains("src/jbang/CamelJBang.java"))
                .findFirst();
        if (run.isEmpty()) {
            fail("no process runs src/jbang/CamelJBang.java under mvn; it wrote:\n" + Files.readString(output));
        }
        return run.get();
    }

    /** Linux's record of a process's argv (ProcessHandle.Info cuts a command line at 4096 characters). */
    private static List<String> argv(ProcessHandle p) {
        try {
            return List.of(Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).split("\0"));
        } catch (IOException gone) {
            return List.of();
        }
    }

    /** mvn and what it started, by their pids: nothing is left running. */
    private static void stop(Process mvn) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(mvn.descendants().toList());
        all.add(mvn.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }
}
