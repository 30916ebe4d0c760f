package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.MqttProbe.Received;
import io.camelappconnect.support.PackagedApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar on the gateway's processor: Debian's armhf (ARMv7 hard-float) Java 17, run through
 * qemu-user-static as a Cortex-A7, with the README's command ({@code java @config/jvm.options -jar ...}) between two
 * Mosquittos. It announces the gateway, forwards an uplink and a downlink, answers a lora_req through a lora-query
 * stand-in, and publishes close on SIGTERM. {@code .ci/armhf-jre} unpacks the JRE and gives its folder as
 * {@code -Darmhf.root}; without it the test is skipped (.ci/run runs it in a step of its own).
 */
// emulation: the JVM starts in 15-20 s on this 2-core machine, where the x86-64 one takes about 1 s
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@EnabledIfSystemProperty(named = "armhf.root", matches = ".+", disabledReason = "needs -Darmhf.root (.ci/run gives it)")
class ArmV7RunIT {

    private static final String DEV = "00-80-00-ff-ff-00-00-a7";
    private static final String JAVA = "usr/lib/jvm/java-17-openjdk-armhf/bin/java";

    private Path shm;

    @AfterEach
    void removeCopy() throws Exception {
        if (shm != null) {
            run(List.of("rm", "-rf", shm.toString()));
        }
    }

    @Test
    void theJarBridgesOnArmV7() throws Exception {
        // the 32-bit JVM under emulation cannot list a directory whose entries' offsets or inodes pass 32 bits (ext4
        // gives such): "Value too large for defined data type" on routes/ and on the JDK's own conf/security. The JRE,
        // the jar, config/ and routes/ go on a tmpfs, as a gateway keeps them on a 32-bit file system anyway
        shm = Files.createTempDirectory(Path.of("/dev/shm"), "armv7-");
        Path root = shm.resolve("root");
        run(List.of("cp", "-a", Path.of(System.getProperty("armhf.root")).toRealPath().toString(), root.toString()));
        Path dir = Files.createDirectories(shm.resolve("app"));
        Files.copy(PackagedApp.JAR, dir.resolve("camel-app-connect.jar"));
        List<String> command = List.of("qemu-arm-static", "-L", root.toString(), "-cpu", "cortex-a7",
                root.resolve(JAVA).toString(), "@config/jvm.options",
                // qemu-user cannot start the JDK's ARM jspawnhelper from the host: the lora-query stand-in is started
                // by fork and exec instead (a real ARMv7 gateway keeps the default)
                "-Djdk.lang.Process.launchMechanism=FORK",
                "-jar", "camel-app-connect.jar");

        try (Mosquitto lnsBroker = Mosquitto.start(); Mosquitto cloudBroker = Mosquitto.start();
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/#");
             MqttProbe lns = new MqttProbe(lnsBroker.url()).subscribe("lora/+/down");
             PackagedApp app = new PackagedApp(dir).configure("app.url = " + cloudBroker.url(),
                     "lns.url = " + lnsBroker.url(), "gateway.uuid = " + GW, "gateway.serial = 18474829",
                     "gateway.euis = 00-80-00-00-d0-00-01-1a", "app.requestOptions.lora = true",
                     "loraQuery.command = " + Path.of("src/test/resources/bin/lora-query").toAbsolutePath())) {
            long start = System.nanoTime();
            app.start(command);
            Received init = cloud.next("lorawan/" + GW + "/init", 120);
            double toInit = seconds(start);
            assertNotNull(init, "init from the jar on ARMv7; it wrote:\n" + app.output());
            app.awaitLine(60, "lns: connected");

            long up = System.nanoTime();
            lns.publish("lora/" + APP + "/" + DEV + "/up", uplink(APP, DEV, 1));
            Received uplink = cloud.next("lorawan/" + GW + "/" + APP + "/" + DEV + "/up", 30);
            double upMs = seconds(up) * 1000;
            assertNotNull(uplink, "the uplink on the cloud broker; it wrote:\n" + app.output());
            assertEquals(Json.MAPPER.readTree(uplink(APP, DEV, 1)), Json.MAPPER.readTree(uplink.payload()));

            long down = System.nanoTime();
            cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"" + DEV + "\",\"data\":\"QA==\",\"port\":1}");
            Received downlink = lns.next("lora/" + DEV + "/down", 30);
            double downMs = seconds(down) * 1000;
            assertNotNull(downlink, "the downlink on the LNS broker; it wrote:\n" + app.output());
            assertEquals("QA==", Json.MAPPER.readTree(downlink.payload()).get("data").asText(), downlink.text());

            long req = System.nanoTime();
            cloud.publish("lorawan/" + GW + "/lora_req", "{\"command\":\"device count\",\"rid\":7}");
            Received answer = cloud.next("lorawan/" + GW + "/lora_res", 30);
            double reqMs = seconds(req) * 1000;
            assertNotNull(answer, "the lora_res; it wrote:\n" + app.output());
            JsonNode json = Json.MAPPER.readTree(answer.payload());
            assertEquals(9, json.path("result").path("count").asInt(), answer.text());
            assertEquals(7, json.path("rid").asInt(), answer.text());

            long stop = System.nanoTime();
            int exit = app.terminate(30);
            double stopS = seconds(stop);
            assertNotNull(cloud.next("lorawan/" + GW + "/close", 5), "close on SIGTERM; it wrote:\n" + app.output());
            assertEquals(143, exit, "stopped by SIGTERM within 30 s; it wrote:\n" + app.output());
            String camel = app.output().lines().filter(l -> l.contains(") started in ")).findFirst().orElse("");
            System.out.printf("ARMV7 start to init %.1f s (%s), uplink %.0f ms, downlink %.0f ms, lora_req %.0f ms,"
                    + " SIGTERM to exit %.1f s%n", toInit, camel.replaceAll(".*\\) started in ", "Camel started in "),
                    upMs, downMs, reqMs, stopS);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + " failed");
    }
}
