package io.camelappconnect.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Mosquitto;

/**
 * The child processes of a benchmark (brokers, our jar, the Mosquitto bridge) and what /proc says about them.
 * Every process and temporary directory is registered here, so that a shutdown hook removes them whatever way the
 * benchmark ends (an exception, Ctrl-C, Maven stopping).
 */
final class Processes {

    static final String MOSQUITTO = Mosquitto.binary();

    private static final List<Process> STARTED = new CopyOnWriteArrayList<>();
    private static final List<Path> TEMP_DIRS = new CopyOnWriteArrayList<>();
    /** Clock ticks per second of utime and stime in /proc/<pid>/stat (asked once, as the brief says: getconf). */
    private static final long CLK_TCK = Long.parseLong(output(List.of("getconf", "CLK_TCK")).trim());

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::cleanUp, "bench cleanup"));
    }

    private Processes() {
    }

    /**
     * Starts {@code command} as given, without a shell, so that {@link Process#pid()} is the program itself and
     * its /proc figures are its own. Output goes to {@code log}.
     */
    static Process start(List<String> command, Path workingDir, Path log) {
        try {
            Process p = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            STARTED.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A plain broker as the benchmark's LNS and cloud brokers are: fresh for each contender run, no persistence,
     * no queue limit (the benchmark counts what is lost, the broker should not drop it), Mosquitto's defaults
     * otherwise (20 messages in flight to each client). {@code <port>} is filled in.
     */
    static final String BROKER_CONFIG = """
            persistence false
            max_queued_messages 0
            allow_anonymous true
            listener <port> 127.0.0.1
            """;

    /** A running broker on a loopback port. */
    record Broker(Process process, int port) {
        String url() {
            return "tcp://127.0.0.1:" + port;
        }
    }

    /** Starts a broker with {@link #BROKER_CONFIG} in {@code dir}, named {@code name} (its files: name.conf, .log). */
    static Broker broker(Path dir, String name) {
        return broker(dir, name, "");
    }

    /** The same, with lines of configuration of its own after the common ones. */
    static Broker broker(Path dir, String name, String more) {
        int port = EmbeddedBroker.freePort();
        Path conf = dir.resolve(name + ".conf");
        try {
            Files.writeString(conf, BROKER_CONFIG.replace("<port>", String.valueOf(port)) + more);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Broker(mosquitto(conf, port), port);
    }

    /** A Mosquitto with config file {@code conf}, waited for until it listens on {@code port}. */
    static Process mosquitto(Path conf, int port) {
        Path log = conf.resolveSibling(conf.getFileName() + ".log");
        Process p = start(List.of(MOSQUITTO, "-c", conf.toString()), conf.getParent(), log);
        Mosquitto.awaitListening(p, port, 10, () -> conf + ": " + tail(log, 2000));
        return p;
    }

    /** SIGTERM (a clean goodbye: our jar publishes close), then SIGKILL if it is still there after the grace time. */
    static void stop(Process p, long graceSeconds) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        STARTED.remove(p);
    }

    /** The brokers a measurement started (null: not started), each SIGTERM then SIGKILL after 5 s. */
    static void stop(Broker... brokers) {
        for (Broker b : brokers) {
            if (b != null) {
                stop(b.process(), 5);
            }
        }
    }

    static Path tempDir(String prefix) {
        return tempDir(Path.of(System.getProperty("java.io.tmpdir")), prefix);
    }

    /** A temporary directory under {@code parent}, removed at the end of the benchmark if not before. */
    static Path tempDir(Path parent, String prefix) {
        try {
            Path dir = Files.createTempDirectory(parent, "bench-" + prefix);
            TEMP_DIRS.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTempDir(Path dir) {
        TEMP_DIRS.remove(dir);
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }

    static void cleanUp() {
        for (Process p : STARTED) {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        for (Process p : STARTED) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        STARTED.clear();
        TEMP_DIRS.forEach(Processes::deleteTempDir);
    }

    /** utime + stime of the process so far, in seconds (/proc/<pid>/stat fields 14 and 15). */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
        if (stat.isEmpty()) {
            return Double.NaN;
        }
        // the command name (field 2) is in parentheses and may hold spaces: count the fields after its ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK;
    }

    /**
     * CPU time from the moment it is made: of each of some processes, and of everything else on the machine. The
     * machine is shared, and a run another program took the CPU from shows it here.
     */
    static final class CpuWatch {
        private final long[] pids;
        private final double[] before;
        private final double machineBefore;

        CpuWatch(long... pids) {
            this.pids = pids;
            this.before = Arrays.stream(pids).mapToDouble(Processes::cpuSeconds).toArray();
            this.machineBefore = machineBusySeconds();
        }

        /** Seconds each process spent since, in the order given. */
        double[] perProcess() {
            double[] spent = new double[pids.length];
            for (int i = 0; i < pids.length; i++) {
                spent[i] = cpuSeconds(pids[i]) - before[i];
            }
            return spent;
        }

        /** Seconds the rest of the machine spent since. */
        double outside() {
            double machine = machineBusySeconds() - machineBefore;
            return Math.max(0, machine - Arrays.stream(perProcess()).sum());
        }
    }

    /** CPU time the whole machine spent busy so far (all CPUs; /proc/stat less idle and iowait), in seconds. */
    static double machineBusySeconds() {
        String[] f = read(Path.of("/proc/stat")).lines().findFirst().orElse("cpu 0 0 0 0 0").trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length; i++) {
            if (i != 4 && i != 5 && i <= 8) { // user nice system [idle iowait] irq softirq steal; guest is in user
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / (double) CLK_TCK;
    }

    /** A "kB" line of /proc/<pid>/status (VmRSS, VmHWM), in kB; -1 if the process is gone. */
    static long statusKb(long pid, String field) {
        for (String line : read(Path.of("/proc", String.valueOf(pid), "status")).split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        return -1;
    }

    /** What a short command prints (stdout and stderr together). */
    static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** The end of a log, for an error message or the JSON. */
    static String tail(Path file, int chars) {
        String s = read(file);
        return s.length() <= chars ? s : s.substring(s.length() - chars);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
