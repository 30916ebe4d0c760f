package io.camelappconnect;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
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
                    "ERRFILE", app.resolve("app.err").toString(),
                    "APP_URL", cloudBroker.url(), "LNS_URL", lnsBroker.url(), "GATEWAY_UUID", GW,
                    "GATEWAY_EUIS", "00-80-00-00-d0-00-01-1a");
            assertEquals("", run(List.of("./Install", "install"), env));

            double first = startAndStop(env, cloudBroker, () -> { });
            assertTrue(Files.size(app.resolve("camel-app-connect.jsa")) > 0, "the first run recorded the archive");
            double withArchive = startAndStop(env, cloudBroker, () -> { });
            System.out.printf("MPOWER start to init: %.2f s recording the class-data archive, %.2f s with it%n",
                    first, withArchive);

            // the management endpoint from the packaged jar, whose shading leaves part of Prometheus out
            int port = EmbeddedBroker.freePort();
            Map<String, String> managed = new HashMap<>(env);
            managed.put("MANAGEMENT_ENABLED", "true");
            managed.put("MANAGEMENT_PORT", String.valueOf(port));
            startAndStop(managed, cloudBroker, () -> {
                // the LNS connection may still be on its way up
                HttpResponse<String> health = Http.awaitStatus(port, "/observe/health", 200, 10);
                assertEquals(200, health.statusCode(), health.body());
                HttpResponse<String> metrics = Http.get(port, "/observe/metrics");
                assertEquals(200, metrics.statusCode(), metrics.body());
                assertTrue(metrics.body().contains("app_connected{broker=\"cloud\"} 1.0"), metrics.body());
            });
        }
    }

    private interface WhileUp {
        void check() throws Exception;
    }

    /**
     * Start start until `init` is on the cloud broker, the check, then Start stop until `close`; the seconds to
     * `init`. A failed check still stops the bridge, and is the failure reported.
     */
    private double startAndStop(Map<String, String> env, Mosquitto cloudBroker, WhileUp whileUp) throws Exception {
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url())) {
            cloud.publish("lorawan/" + GW + "/init", new byte[0], true); // clear the last run's
            cloud.subscribe("lorawan/" + GW + "/init", "lorawan/" + GW + "/close");
            long start = System.nanoTime();
            run(List.of("./Start", "start"), env);
            double seconds;
            long pid;
            try {
                MqttProbe.Received init = cloud.next("lorawan/" + GW + "/init", 30);
                seconds = (System.nanoTime() - start) / 1e9;
                assertNotNull(init, "init from the bridge; its log:\n" + Files.readString(app.resolve("app.log"))
                        + "\nits standard error:\n" + Files.readString(app.resolve("app.err")));
                assertTrue(Files.readString(app.resolve("app.log")).contains("cloud: connected to"), "the log file");
                String status = Files.readString(app.resolve("status.json"));
                pid = Long.parseLong(status.replaceAll("(?s).*\"pid\": (\\d+).*", "$1"));
                assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), status);
                run(List.of("./Start", "start"), env); // again, while it runs: no second bridge, the same pid
                assertEquals(status, Files.readString(app.resolve("status.json")));
                whileUp.check();
            } catch (Throwable failed) {
                try {
                    run(List.of("./Start", "stop"), env);
                } catch (Throwable also) {
                    failed.addSuppressed(also);
                }
                throw failed;
            }

            run(List.of("./Start", "stop"), env);
            assertNotNull(cloud.next("lorawan/" + GW + "/close", 15), "close on stop");
            assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "stopped");
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
