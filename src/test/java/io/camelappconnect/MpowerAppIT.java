package io.camelappconnect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mPower app as `mvn package` makes it (target/camel-app-connect-mpower.tar.gz), unpacked and driven as mPower's
 * app-manager does: Install install, Start start, Start stop. With the default configuration plus the two brokers'
 * URLs (and the gateway's identity, which a gateway reads itself), the bridge comes up and announces itself; the
 * first run records the class-data archive that later starts use.
 */
class MpowerAppIT {

    @TempDir
    Path app;

    @Test
    void theTarballsStartScriptBringsTheBridgeUpAndDown() throws Exception {
        try (Mosquitto lnsBroker = Mosquitto.start(); Mosquitto cloudBroker = Mosquitto.start()) {
            run(List.of("tar", "xzf", Path.of("target/camel-app-connect-mpower.tar.gz").toAbsolutePath().toString()),
                    Map.of());
            Map<String, String> env = Map.of("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "PIDFILE", app.resolve("app.pid").toString(), "LOGFILE", app.resolve("app.log").toString(),
                    "APP_URL", cloudBroker.url(), "LNS_URL", lnsBroker.url(), "GATEWAY_UUID", GW,
                    "GATEWAY_EUIS", "00-80-00-00-d0-00-01-1a");
            assertEquals("", run(List.of("./Install", "install"), env));

            double first = startAndStop(env, cloudBroker);
            assertTrue(Files.size(app.resolve("camel-app-connect.jsa")) > 0, "the first run recorded the archive");
            double withArchive = startAndStop(env, cloudBroker);
            System.out.printf("MPOWER start to init: %.2f s recording the class-data archive, %.2f s with it%n",
                    first, withArchive);
        }
    }

    /** Start start until `init` is on the cloud broker, then Start stop until `close`; the seconds to `init`. */
    private double startAndStop(Map<String, String> env, Mosquitto cloudBroker) throws Exception {
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url())) {
            cloud.publish("lorawan/" + GW + "/init", new byte[0], true); // clear the last run's
            cloud.subscribe("lorawan/" + GW + "/init", "lorawan/" + GW + "/close");
            long start = System.nanoTime();
            run(List.of("./Start", "start"), env);
            MqttProbe.Received init = cloud.next("lorawan/" + GW + "/init", 30);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertNotNull(init, "init from the bridge; its log:\n" + Files.readString(app.resolve("app.log")));
            String status = Files.readString(app.resolve("status.json"));
            long pid = Long.parseLong(status.replaceAll("(?s).*\"pid\": (\\d+).*", "$1"));
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), status);
            run(List.of("./Start", "start"), env); // again, while it runs: no second bridge, the same pid
            assertEquals(status, Files.readString(app.resolve("status.json")));

            run(List.of("./Start", "stop"), env);
            assertNotNull(cloud.next("lorawan/" + GW + "/close", 15), "close on stop");
            assertTrue(ProcessHandle.of(pid).isEmpty() || !ProcessHandle.of(pid).get().isAlive(), "stopped");
            assertEquals("{\"pid\": 0, \"AppInfo\": \"stopped\"}", Files.readString(app.resolve("status.json")).strip());
            return seconds;
        }
    }

    private String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), command + ": " + out);
        return out;
    }
}
