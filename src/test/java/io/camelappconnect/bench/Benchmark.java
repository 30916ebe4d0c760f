package io.camelappconnect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.camelappconnect.bench.Forwarder.Kind;
import io.camelappconnect.support.BridgeTestSupport;

/**
 * The performance benchmark (issue 5): our jar against a plain Mosquitto bridge forwarding the same uplinks from an
 * LNS broker to a cloud broker. Run it with {@code mvn -q -Pbench [-Dbench.args="--runs 1 --n 20000"]}.
 * <p>
 * Each measurement of each contender gets fresh brokers and a fresh forwarder process, the contenders taking turns
 * (ours, Mosquitto, ours, ...) so that a busy moment of a shared machine hits both alike. The table shows the
 * medians; the JSON file has every run's figures and the machine they ran on.
 */
public final class Benchmark {

    static final String GW = BridgeTestSupport.GW;
    static final int[] RATES = {50, 200, 1000};
    static final int RATE_SECONDS = 10;
    /** Each way between the forwarder and the cloud broker in the round-trip measurement. */
    static final int ONE_WAY_MS = 50;
    static final List<String> MEASUREMENTS = List.of("saturation", "latency", "rtt", "cost", "harness", "http");

    private final BenchmarkOptions options;
    private final List<String> jvmFlags;

    private Benchmark(BenchmarkOptions options) throws IOException {
        this.options = options;
        this.jvmFlags = jvmFlags(options.jvmOptions());
    }

    public static void main(String[] args) throws Exception {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + BenchmarkOptions.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.jar())) {
            System.err.println(options.jar() + " is missing: build it with mvn -q -o package -DskipTests");
            System.exit(2);
        }
        new Benchmark(options).run(args);
        System.exit(0); // the shutdown hook removes what is left
    }

    private void run(String[] args) throws IOException {
        String command = commandLine(args);
        System.out.println("command: " + command);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("command", command);
        json.put("options", options.asMap());
        Map<String, Object> machine = MachineDescription.of(jvmFlags);
        json.put("machine", machine);
        json.put("config", Map.of("brokers", Processes.BROKER_CONFIG, "bridge", Forwarder.BRIDGE_CONFIG,
                "jvmOptions", jvmFlags, "jar", options.jar().toString()));
        if (options.arch().equals("armhf")) {
            json.put("footprint", new Footprint(options, jvmFlags).run());
            write(json);
            System.out.println("raw figures and the machine: " + options.out());
            return;
        }
        MqttMeasurements mqtt = new MqttMeasurements(options, jvmFlags);
        if (options.only().contains("harness")) {
            json.put("harness", mqtt.harnessCheck());
        }
        List<String> sessions = new ArrayList<>();
        if (options.only().contains("saturation") || options.only().contains("cost")) {
            sessions.add("saturation");
        }
        for (String s : List.of("latency", "rtt")) {
            if (options.only().contains(s)) {
                sessions.add(s);
            }
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int run = 1; run <= options.runs(); run++) {
            for (String session : sessions) {
                for (Kind kind : Kind.values()) {
                    runs.add(mqtt.session(kind, session, run));
                }
            }
        }
        if (options.only().contains("http")) {
            HttpMeasurement http = new HttpMeasurement(options, jvmFlags);
            List<Map<String, Object>> httpRuns = new ArrayList<>();
            for (int run = 1; run <= options.runs(); run++) {
                httpRuns.add(http.run(run));
            }
            json.put("http", httpRuns);
            System.out.println(BenchmarkReport.httpTable(httpRuns));
        }
        json.put("runs", runs);
        BenchmarkReport report = new BenchmarkReport(options, runs, MachineDescription.line(machine));
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            medians.put(kind.key, report.medians(kind));
        }
        json.put("medians", medians);
        write(json);

        System.out.println();
        if (!runs.isEmpty()) {
            System.out.println(report.table());
        }
        if (json.get("harness") instanceof Map<?, ?> h) {
            System.out.printf(Locale.ROOT, "harness ceiling (publisher -> one broker -> subscriber, no forwarder, "
                    + "%d uplinks): %.0f uplinks/s end to end, the broker took them at %.0f/s, %s lost, "
                    + "%.1f CPU s taken outside the benchmark meanwhile%n", options.n(), h.get("rate"),
                    h.get("publishRate"), BenchmarkReport.fmt((Double) h.get("lost")), h.get("cpuSecondsOutside"));
        }
        long errors = runs.stream().filter(r -> r.containsKey("error")).count();
        if (errors > 0) {
            System.out.println(errors + " run(s) failed, see \"error\" in the JSON:");
            runs.stream().filter(r -> r.containsKey("error")).forEach(r -> System.out.println("  " + r.get("contender")
                    + " run " + r.get("run") + " " + r.get("measurement") + ": " + r.get("error")));
        }
        System.out.println("raw figures, medians and the machine: " + options.out());
        System.out.println("command: " + command);
    }

    private void write(Map<String, Object> json) throws IOException {
        json.put("loadAverageAtEnd", Processes.read(Path.of("/proc/loadavg")).trim());
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out().toFile(), json);
    }

    /** Publishes a probe uplink every 250 ms until {@code arrived}; 30 s at the most. */
    static void probeUntil(Publisher pub, Supplier<Boolean> arrived) {
        int[] probes = {0};
        if (!waitFor(() -> {
            if (probes[0]++ % 5 == 0) {
                pub.probe(probes[0]);
            }
            return arrived.get();
        }, 30)) {
            throw new IllegalStateException("no probe uplink came through in 30 s");
        }
    }

    /**
     * The JVM flags our jar runs with: config/jvm.options, one flag per line, blank lines and lines starting with
     * # left out. The gateway's start script and systemd unit read the same file, so the benchmark measures the
     * jar as it is deployed.
     */
    static List<String> jvmFlags(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /**
     * How the benchmark was started, as typed: Maven's own command line (its launcher exports it to us) with the
     * quotes around bench.args, which the shell took away, put back.
     */
    private static String commandLine(String[] args) {
        String joined = String.join(" ", args);
        String mvn = System.getenv("MAVEN_CMD_LINE_ARGS");
        if (mvn == null) {
            return "mvn -q -Pbench" + (args.length == 0 ? "" : " -Dbench.args=\"" + joined + "\"");
        }
        mvn = mvn.trim();
        int at = mvn.indexOf("-Dbench.args=");
        if (at >= 0 && mvn.startsWith(joined, at + "-Dbench.args=".length())) {
            int end = at + "-Dbench.args=".length() + joined.length();
            mvn = mvn.substring(0, at) + "-Dbench.args=\"" + joined + "\"" + mvn.substring(end);
        }
        return "mvn " + mvn;
    }

    /** Polls {@code done} every 20 ms for up to {@code seconds}. */
    static boolean waitFor(Supplier<Boolean> done, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (!done.get()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Processes.sleep(20);
        }
        return true;
    }
}
