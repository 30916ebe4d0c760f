package io.camelappconnect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20: mPower's {@code Start} (src/main/mpower/Start, as the tarball has it) starts the JVM again when it fails,
 * as systemd's Restart=on-failure does: the watchdog's exit 70 is the app saying it can't recover in-process. Real
 * processes: the script under start-stop-daemon, and a stand-in for java (a script, as {@code JAVA}) that records
 * each start with the seconds since boot, then exits as the test says.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MpowerStartRestartsTest {

    private static final Path START = Path.of("src/main/mpower/Start").toAbsolutePath();

    @TempDir
    Path app;
    private Path starts;

    @BeforeEach
    void copyTheScript() throws IOException {
        Files.copy(START, app.resolve("Start"));
        starts = app.resolve("starts");
    }

    @Test
    void aJvmThatExits70IsStartedAgainWithBackoffAndStopsCleanly() throws Exception {
        javaThat("[ \"$(wc -l < \"$STARTS\")\" -le 2 ] && exit 70\nexec sleep 600");
        run("start");
        await().atMost(15, TimeUnit.SECONDS).until(() -> starts().size() == 3);
        List<String[]> runs = starts();
        double firstPause = up(runs.get(1)) - up(runs.get(0));
        double secondPause = up(runs.get(2)) - up(runs.get(1));
        System.out.printf("START 3 starts; pauses %.2f s and %.2f s (RESTART_DELAY 1)%n", firstPause, secondPause);
        assertTrue(firstPause >= 0.9 && secondPause >= 1.9, "the pause doubles: " + firstPause + ", " + secondPause);
        assertTrue(String.join(" ", runs.get(2)).contains("@config/jvm.options"), "the jar as the README runs it");
        String err = Files.readString(app.resolve("app.err"));
        assertTrue(err.contains("exit 70 after 0 s (1 in a row): started again in 1 s"), err);
        assertTrue(err.contains("exit 70 after 0 s (2 in a row): started again in 2 s"), err);
        long jvm = Long.parseLong(runs.get(2)[0]);
        long supervisor = statusPid();
        assertTrue(alive(jvm) && alive(supervisor), "the third JVM runs, under the pid status.json gives");
        assertTrue(status().contains("started again after exit 70 (2 in a row)"), status());

        long stopping = System.nanoTime();
        run("stop");
        double stopped = (System.nanoTime() - stopping) / 1e9;
        System.out.printf("START stopped in %.2f s%n", stopped);
        assertFalse(Files.exists(Path.of("/proc/" + jvm)), "the JVM ended and was waited for: no zombie");
        assertFalse(alive(supervisor), "the supervisor ended: no restart loop left behind");
        assertEquals("{\"pid\": 0, \"AppInfo\": \"stopped\"}", status().strip());
        assertFalse(Files.exists(app.resolve("app.pid")));
        await().during(3, TimeUnit.SECONDS).atMost(4, TimeUnit.SECONDS).until(() -> starts().size() == 3);
    }

    @Test
    void aCleanExitAndASigtermToTheJvmAreNotRestarted() throws Exception {
        javaThat("[ \"$(wc -l < \"$STARTS\")\" -le 1 ] && exit 0\nexec sleep 600");
        run("start");
        await().atMost(5, TimeUnit.SECONDS).until(() -> status().contains("stopped (exit 0)"));
        await().during(3, TimeUnit.SECONDS).atMost(4, TimeUnit.SECONDS).until(() -> starts().size() == 1);
        assertFalse(Files.exists(app.resolve("app.pid")), "the supervisor ended and said so");

        run("start");
        await().atMost(5, TimeUnit.SECONDS).until(() -> starts().size() == 2);
        long supervisor = statusPid();
        ProcessHandle.of(Long.parseLong(starts().get(1)[0])).orElseThrow().destroy(); // SIGTERM, not through Start
        await().atMost(5, TimeUnit.SECONDS).until(() -> !alive(supervisor));
        assertTrue(status().contains("stopped (exit 143)"), status());
        await().during(3, TimeUnit.SECONDS).atMost(4, TimeUnit.SECONDS).until(() -> starts().size() == 2);
        run("stop"); // stopped already: fine
    }

    @Test
    void aStopDuringThePauseStartsNothingMore() throws Exception {
        javaThat("exit 70");
        run("start", "RESTART_DELAY", "20");
        await().atMost(5, TimeUnit.SECONDS).until(() -> status().contains("started again in 20 s"));
        long supervisor = statusPid();
        long stopping = System.nanoTime();
        run("stop");
        double stopped = (System.nanoTime() - stopping) / 1e9;
        assertTrue(stopped < 5, "the pause does not hold the stop: " + stopped + " s");
        assertFalse(alive(supervisor));
        assertEquals(1, starts().size());
    }

    /** The stand-in: records its pid, the seconds since boot and its argv, then does {@code then}. */
    private void javaThat(String then) throws IOException {
        Path java = app.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"$$ $(cut -d' ' -f1 /proc/uptime) $*\" >> \"$STARTS\"\n" + then + "\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void run(String command, String... env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("./Start", command).directory(app.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("JAVA", app.resolve("java").toString(), "STARTS", starts.toString(),
                "PIDFILE", app.resolve("app.pid").toString(), "LOGFILE", app.resolve("app.log").toString(),
                "ERRFILE", app.resolve("app.err").toString(), "RESTART_DELAY", "1"));
        for (int i = 0; i < env.length; i += 2) {
            pb.environment().put(env[i], env[i + 1]);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "Start " + command + " did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "Start " + command + ": " + out);
    }

    private List<String[]> starts() throws IOException {
        List<String[]> lines = new ArrayList<>();
        if (Files.exists(starts)) {
            Files.readAllLines(starts).forEach(l -> lines.add(l.split(" ")));
        }
        return lines;
    }

    private static double up(String[] start) {
        return Double.parseDouble(start[1]);
    }

    private String status() throws IOException {
        return Files.readString(app.resolve("status.json"));
    }

    private long statusPid() throws IOException {
        return Long.parseLong(status().replaceAll("(?s).*\"pid\": (\\d+).*", "$1"));
    }

    /** Running, and not a zombie (ended and not waited for): /proc's state, as ProcessHandle counts a zombie alive. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException gone) {
            return false;
        }
    }
}
