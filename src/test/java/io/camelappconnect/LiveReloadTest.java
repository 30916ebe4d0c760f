package io.camelappconnect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.UplinkRun;
import io.camelappconnect.support.UplinkTally;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live reload (camel.main.routesReloadEnabled): an edited route file takes effect in the running app within
 * seconds while uplinks flow, none lost; a route file with an error leaves the routes running as they were, with a
 * WARN naming the file.
 */
class LiveReloadTest extends AppProcessTestSupport {

    private static final int RATE = 50;
    private static final int SECONDS = 12;
    private static final int DEVICES = 5;

    @TempDir
    Path routes;

    @Test
    void anEditedRouteTakesEffectWhileUplinksFlowAndABrokenFileChangesNothing() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path route : files.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        UplinkTally tally = new UplinkTally();
        AtomicLong firstEdited = new AtomicLong();
        AtomicLong editedAfterTheBrokenFile = new AtomicLong();
        AtomicLong brokenWritten = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean receiving = new AtomicBoolean(true);
        int sent = RATE * SECONDS;
        try (AppProcess app = startApp(Map.of("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml",
                "camel.main.routesReloadEnabled", "true", "camel.main.routesReloadDirectory", routes.toString()));
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/+/+/up");
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            app.await(30, "lns: connected");
            Thread receiver = new Thread(() -> {
                while (receiving.get()) {
                    MqttProbe.Received r = cloud.next(0.2);
                    if (r != null && !r.retained()) {
                        tally.add(r.topic(), r.payload());
                        if (r.text().contains("\"site\":\"north\"")) {
                            firstEdited.compareAndSet(0, System.nanoTime());
                            if (System.nanoTime() > brokenWritten.get()) {
                                editedAfterTheBrokenFile.incrementAndGet();
                            }
                        }
                    }
                }
            }, "receiver");
            receiver.start();
            Thread publisher = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; i < sent; i++) {
                    long due = start + i * (1_000_000_000L / RATE);
                    for (long wait; (wait = due - System.nanoTime()) > 0; ) { // a sleep: the load's pace
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    String dev = String.format("00-80-00-00-00-0e-00-%02x", i % DEVICES);
                    lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, i / DEVICES + 1));
                }
            }, "publisher");
            publisher.start();
            try {
                await().atMost(10, TimeUnit.SECONDS).until(() -> tally.distinct() >= 3 * RATE / 2);

                long edited = System.nanoTime();
                addASiteFieldToEveryUplink(routes.resolve("uplinks.yaml"));
                await().atMost(15, TimeUnit.SECONDS).alias("an uplink through the edited route")
                        .until(() -> firstEdited.get() != 0);
                double effectSeconds = (firstEdited.get() - edited) / 1e9;

                brokenWritten.set(System.nanoTime());
                Files.writeString(routes.resolve("broken.yaml"), "- route:\n    from: [unclosed\n");
                app.await(15, "broken.yaml");
                await().atMost(10, TimeUnit.SECONDS).alias("uplinks through the edited routes after the broken file")
                        .until(() -> editedAfterTheBrokenFile.get() >= RATE);

                publisher.join(TimeUnit.SECONDS.toMillis(SECONDS + 10));
                try {
                    await().atMost(30, TimeUnit.SECONDS).until(() -> tally.distinct() >= sent);
                } catch (ConditionTimeoutException e) {
                    // what is missing is counted, and said, below
                }
                String summary = tally.summary("reload", sent);
                System.out.printf("RELOAD took effect %.2f s after the edit; %s; %d through the edited route after"
                        + " the broken file%n", effectSeconds, summary, editedAfterTheBrokenFile.get());
                assertEquals(sent, tally.distinct(), summary);
                assertEquals(0, tally.outOfOrder(), summary);
                assertTrue(effectSeconds < 15, summary);
                String warn = app.output().lines().filter(l -> l.contains("broken.yaml")).findFirst().orElse("");
                assertTrue(warn.contains("WARN") && warn.contains("Error reloading routes"), warn);
            } finally {
                publisher.interrupt();
                receiving.set(false);
                receiver.join();
            }
        }
    }

    /**
     * Issue 20 #6: a reload that changed a route's topic filter left the old subscription behind, and the messages that
     * came for it waited unacknowledged: once the LNS broker's window (Mosquitto: 20 in flight) was full of them, it
     * delivered nothing more. Now a filter no route takes is unsubscribed within {@code MqttConnection.RETIRE_MS}, and
     * what waited for it is acknowledged and dropped with a WARN; the uplinks go on, none lost. (A route deleted from
     * its file stays in the running app while camel.main.routesReloadRemoveAllRoutes is false, as here.)
     */
    @Test
    void aFilterChangedByReloadReleasesTheOldOneAndTheUplinksGoOn() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path route : files.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        try (AppProcess app = startApp(Map.of("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml",
                "camel.main.routesReloadEnabled", "true", "camel.main.routesReloadDirectory", routes.toString()));
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            app.await(30, "lns: connected");
            app.await(30, "cloud: connected");
            try (UplinkRun run = new UplinkRun(lnsBroker.url(), cloudBroker.url(), RATE, DEVICES, 30)) {
                await().atMost(10, TimeUnit.SECONDS).until(() -> run.tally().distinct() >= RATE);
                edit(routes.resolve("uplinks.yaml"), "\"lns:lora/+/+/moved\"", "\"lns:lora/" + APP + "/+/moved\"");
                app.await(15, "Shutdown moved-to-cloud");
                for (int i = 0; i < 40; i++) { // twice the broker's window, for another application's device
                    lns.publish("lora/00-00-00-00-00-00-00-01/00-80-00-00-00-0e-01-00/moved",
                            "[\"00-80-00-00-d0-00-01-1a\"]");
                }
                run.finish("a route's filter changed by live reload while 50 uplinks/s flow, 40 messages for the old"
                        + " one only", 60);
            }
            String warn = app.output().lines().filter(l -> l.contains("no route takes lora/+/+/moved any more"))
                    .findFirst().orElse("");
            // of the 40, those on their way when the UNSUBSCRIBE went find no subscription and are not counted here
            assertTrue(warn.contains("WARN") && warn.contains("messages that waited for it dropped"), warn);
        }
    }

    /**
     * A saved file of route templates (requests.yaml: the request guard; downlinks.yaml: retained-command, the first hop
     * of every downlink and request) takes effect, and its templated routes and plain routes go on serving: Camel 4.17
     * alone made none of the templated ones again, and requests went unanswered, downlinks unsent, until a restart.
     */
    @Test
    void aFileOfTemplatedRoutesEditedByReloadKeepsAnsweringAndSending() throws Exception {
        try (var files = Files.list(Path.of("routes"))) {
            for (Path route : files.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        String dev = "00-80-00-00-0e-00-00-01";
        try (AppProcess app = startApp(Map.of("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml",
                "camel.main.routesReloadEnabled", "true", "camel.main.routesReloadDirectory", routes.toString(),
                "app.requestOptions.log", "false"));
             MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe("lorawan/" + GW + "/log_res");
             MqttProbe lns = new MqttProbe(lnsBroker.url()).subscribe("lora/+/down")) {
            app.await(30, "lns: connected");
            app.await(30, "cloud: connected");
            assertEquals("log requests are disabled", logAnswer(cloud, "disabled"));

            edit(routes.resolve("requests.yaml"), "\"{{kind}} requests are disabled\"", "\"{{kind}} requests are off\"");
            assertEquals("log requests are off", logAnswer(cloud, "off"), "the edited guard answers");
            app.await(5, "Routes reloaded summary");
            cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"" + dev + "\",\"data\":\"QA==\",\"port\":1}");
            assertTrue(lns.next("lora/" + dev + "/down", 15) != null, "a downlink after requests.yaml's reload");

            String clear = "          - process:\n              ref: clearRetained\n";
            edit(routes.resolve("downlinks.yaml"), clear, "          - log:\n              message: \"a command on"
                    + " ${header.CamelMqttTopic}\"\n" + clear);
            app.await(15, "Shutdown retained-command-cloud"); // the route made again from the edited template
            cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"" + dev + "\",\"data\":\"QQ==\",\"port\":1}");
            MqttProbe.Received down = lns.next("lora/" + dev + "/down", 15);
            assertTrue(down != null && down.text().contains("QQ=="), "a downlink through the edited template");
            app.await(5, "a command on lorawan/" + GW + "/down");
            assertEquals("log requests are off", logAnswer(cloud, "off"), "requests after downlinks.yaml's reload");
        }
    }

    /** Asks log_req every half second until an answer's error ends with the word, and returns that error. */
    private static String logAnswer(MqttProbe cloud, String word) {
        AtomicLong rid = new AtomicLong();
        return await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
                .alias("a log_res answer ending in " + word).until(() -> {
                    cloud.publish("lorawan/" + GW + "/log_req", "{\"file\":\"messages\",\"lines\":1,\"rid\":\"r"
                            + rid.incrementAndGet() + "\"}");
                    MqttProbe.Received r = cloud.next("lorawan/" + GW + "/log_res", 0.4);
                    return r == null ? "" : new ObjectMapper().readTree(r.payload())
                            .path("error").asText();
                }, e -> e.endsWith(word));
    }

    /** Replaces one text in a route file, written whole at once: a watcher may read a file being written, empty. */
    private static void edit(Path file, String text, String replacement) throws Exception {
        String yaml = Files.readString(file);
        assertTrue(yaml.contains(text), text + " in " + file);
        Path edited = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), yaml.replace(text,
                replacement));
        Files.move(edited, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** docs/routes.md's first recipe ("Add a field to every uplink"), as a user edits the file of a running app. */
    private static void addASiteFieldToEveryUplink(Path uplinks) throws Exception {
        String yaml = Files.readString(uplinks);
        String step = "            ref: uplinkData\n";
        int at = yaml.indexOf(step);
        assertTrue(at > 0, "the uplink route has its uplinkData step");
        Files.writeString(uplinks, yaml.substring(0, at + step.length())
                + "        - transform:\n            jq: '. + {site: \"north\"}'\n" + yaml.substring(at + step.length()));
    }
}
