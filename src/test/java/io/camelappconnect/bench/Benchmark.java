package io.camelappconnect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.camelappconnect.bench.Forwarder.Kind;
import io.camelappconnect.bench.Load.Publisher;
import io.camelappconnect.bench.Load.Subscriber;
import io.camelappconnect.bench.Load.Tally;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.TcpProxy;
import io.camelappconnect.support.WebServer;

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

    private final Options options;
    private final List<String> jvmFlags;
    private final List<Map<String, Object>> runs = new ArrayList<>();
    /** The machine in a few words, for the table's heading. */
    private String machineLine = "";

    private Benchmark(Options options) throws IOException {
        this.options = options;
        this.jvmFlags = jvmFlags(options.jvmOptions);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + "\n" + Options.USAGE);
            System.exit(2);
            return;
        }
        if (!Files.isRegularFile(options.jar)) {
            System.err.println(options.jar + " is missing: build it with mvn -q -o package -DskipTests");
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
        Map<String, Object> machine = machine();
        json.put("machine", machine);
        machineLine = String.format("%s x %s, MemTotal %s, kernel %s, Java %s, %s", machine.get("nproc"),
                machine.get("cpuModel"), machine.get("memTotal"), machine.get("kernel"),
                System.getProperty("java.version"), machine.get("mosquittoVersion"));
        json.put("config", Map.of("brokers", Processes.BROKER_CONFIG, "bridge", Forwarder.BRIDGE_CONFIG,
                "jvmOptions", jvmFlags, "jar", options.jar.toString()));
        if (options.arch.equals("armhf")) {
            json.put("footprint", new Footprint(options, jvmFlags).run());
            write(json);
            System.out.println("raw figures and the machine: " + options.out);
            return;
        }
        if (options.only.contains("harness")) {
            json.put("harness", harnessCheck());
        }
        List<String> sessions = new ArrayList<>();
        if (options.only.contains("saturation") || options.only.contains("cost")) {
            sessions.add("saturation");
        }
        for (String s : List.of("latency", "rtt")) {
            if (options.only.contains(s)) {
                sessions.add(s);
            }
        }
        for (int run = 1; run <= options.runs; run++) {
            for (String session : sessions) {
                for (Kind kind : Kind.values()) {
                    runs.add(session(kind, session, run));
                }
            }
        }
        if (options.only.contains("http")) {
            List<Map<String, Object>> httpRuns = new ArrayList<>();
            for (int run = 1; run <= options.runs; run++) {
                httpRuns.add(http(run));
            }
            json.put("http", httpRuns);
            System.out.println(httpTable(httpRuns));
        }
        json.put("runs", runs);
        Map<String, Map<String, Double>> medians = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            medians.put(kind.key, medians(kind));
        }
        json.put("medians", medians);
        write(json);

        System.out.println();
        if (!runs.isEmpty()) {
            System.out.println(table());
        }
        if (json.get("harness") instanceof Map<?, ?> h) {
            System.out.printf(Locale.ROOT, "harness ceiling (publisher -> one broker -> subscriber, no forwarder, "
                    + "%d uplinks): %.0f uplinks/s end to end, the broker took them at %.0f/s, %s lost, "
                    + "%.1f CPU s taken outside the benchmark meanwhile%n", options.n, h.get("rate"),
                    h.get("publishRate"), fmt((Double) h.get("lost")), h.get("cpuSecondsOutside"));
        }
        long errors = runs.stream().filter(r -> r.containsKey("error")).count();
        if (errors > 0) {
            System.out.println(errors + " run(s) failed, see \"error\" in the JSON:");
            runs.stream().filter(r -> r.containsKey("error")).forEach(r -> System.out.println("  " + r.get("contender")
                    + " run " + r.get("run") + " " + r.get("measurement") + ": " + r.get("error")));
        }
        System.out.println("raw figures, medians and the machine: " + options.out);
        System.out.println("command: " + command);
    }

    private void write(Map<String, Object> json) throws IOException {
        json.put("loadAverageAtEnd", Processes.read(Path.of("/proc/loadavg")).trim());
        Files.createDirectories(options.out.toAbsolutePath().getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.out.toFile(), json);
    }

    /**
     * One contender, one measurement: fresh brokers, the forwarder started and waited for, then the load. The
     * start-up time and memory at rest are read in every session; the table takes them from the saturation one.
     */
    private Map<String, Object> session(Kind kind, String measurement, int run) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contender", kind.key);
        record.put("run", run);
        record.put("measurement", measurement);
        Map<String, Double> figures = new LinkedHashMap<>();
        record.put("figures", figures);
        System.out.printf("run %d/%d %-10s %-9s ... ", run, options.runs, measurement, kind.key);
        System.out.flush();
        Path dir = Processes.tempDir(kind.key + "-" + measurement);
        Processes.Broker lns = null;
        Processes.Broker cloud = null;
        TcpProxy proxy = null;
        Subscriber sub = null;
        Publisher pub = null;
        Forwarder forwarder = null;
        try {
            lns = Processes.broker(dir, "lns", "max_inflight_messages " + options.lnsInflight + "\n");
            cloud = Processes.broker(dir, "cloud");
            int cloudPort = cloud.port();
            if (measurement.equals("rtt")) {
                proxy = TcpProxy.delaying(cloud.port(), ONE_WAY_MS);
                cloudPort = proxy.port();
            }
            sub = new Subscriber(cloud.url(), GW);
            pub = new Publisher(lns.url());
            Path projectDir = Path.of("").toAbsolutePath();
            forwarder = kind == Kind.OURS
                    ? Forwarder.ours(projectDir, options.jar, jvmFlags, GW, lns.port(), cloudPort, dir)
                    : Forwarder.mosquittoBridge(GW, lns.port(), cloudPort, dir);
            record.put("forwarderCommand", forwarder.command);
            if (!forwarder.config.isEmpty()) {
                record.put("bridgeConfig", forwarder.config);
            }
            Forwarder f = forwarder;
            Subscriber s = sub;
            // up: our jar's retained init, or the bridge's "1" on $SYS/broker/connection/<client id>/state
            if (!waitFor(() -> s.upNanos(kind) != 0 || !f.alive(), 60)) {
                throw new IllegalStateException("not up within 60 s");
            }
            if (s.upNanos(kind) == 0) {
                throw new IllegalStateException("exited with " + forwarder.logTail());
            }
            figures.put("startSeconds", (s.upNanos(kind) - forwarder.startedNanos) / 1e9);
            if (kind == Kind.MOSQUITTO) {
                record.put("bridgeStateTopic", sub.bridgeStateTopic());
            }
            // Up on the cloud side is not yet listening on the LNS side, and an uplink published before the
            // forwarder's subscription reaches no one: probe until one goes through.
            probeUntil(pub, s::probeArrived);
            Processes.sleep(5000);
            figures.put("rssRestMiB", forwarder.rssKb() / 1024.0);
            // the benchmark's own processes (harness, brokers, forwarder): the rest of the machine's CPU is noise
            long[] pids = {ProcessHandle.current().pid(), lns.process().pid(), cloud.process().pid(), forwarder.pid()};
            switch (measurement) {
                case "saturation" -> saturation(forwarder, pub, sub, figures, pids);
                case "latency" -> latency(pub, sub, figures, pids);
                case "rtt" -> rtt(pub, sub, figures, pids);
                default -> throw new IllegalArgumentException(measurement);
            }
            if (sub.strays() > 0) {
                record.put("strays", sub.strays());
            }
            if (sub.notQos1() > 0) {
                record.put("uplinksNotAtQos1", sub.notQos1());
            }
            if (!forwarder.alive()) {
                record.put("error", "the forwarder exited during the measurement");
            }
            System.out.println(summary(measurement, figures));
        } catch (RuntimeException | IOException e) {
            record.put("error", e.toString());
            System.out.println("FAILED: " + e);
        } finally {
            if (pub != null) {
                pub.close();
            }
            if (forwarder != null) {
                forwarder.stop(record);
                record.put("forwarderLog", saveLog(dir, kind, measurement, run));
            }
            if (sub != null) {
                sub.close();
            }
            if (proxy != null) {
                try {
                    proxy.close();
                } catch (IOException e) {
                    // closing
                }
            }
            Processes.stop(lns, cloud);
            Processes.deleteTempDir(dir);
        }
        return record;
    }

    /**
     * N uplinks as fast as the LNS broker takes them; the rate is from the first publish to the last arrival. The
     * forwarder's CPU time and memory are sampled every 100 ms meanwhile.
     */
    private void saturation(Forwarder forwarder, Publisher pub, Subscriber sub, Map<String, Double> figures,
            long[] pids) {
        int n = options.n;
        Tally tally = new Tally(n);
        sub.count(tally);
        List<double[]> samples = new ArrayList<>(); // {nanos, rss kB, cpu s}
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                double[] sample = {System.nanoTime(), forwarder.rssKb(), forwarder.cpuSeconds()};
                synchronized (samples) {
                    samples.add(sample);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench sampler");
        // where the 2 cores went: the harness (publisher, subscriber) and the two brokers share them with the
        // forwarder, so a forwarder's rate is bounded by the machine, not by itself alone (JSON only)
        Processes.CpuWatch cpu = new Processes.CpuWatch(pids);
        double cpuBefore = forwarder.cpuSeconds();
        sampler.start();
        pub.flood(0, n, Load::lnsTopic, tally);
        long published = System.nanoTime();
        tally.await(0, n, published, options.quiet, Double.MAX_VALUE);
        double[] spent = cpu.perProcess();
        double outside = cpu.outside();
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Double> f = tally.figures(0, n);
        for (String key : List.of("rate", "received", "lost", "duplicates", "outOfOrder", "seconds")) {
            figures.put("saturation." + key, f.get(key));
        }
        figures.put("saturation.publishRate", n / ((published - tally.sentNanos(0)) / 1e9));
        // CPU up to the last arrival (the first sample after it), not the quiet wait that followed
        long last = tally.lastArrivalNanos();
        double cpuAtLast = Double.NaN;
        double peakKb = 0;
        for (double[] s : samples) {
            peakKb = Math.max(peakKb, s[1]);
            if (Double.isNaN(cpuAtLast) && s[0] >= last) {
                cpuAtLast = s[2];
            }
        }
        if (Double.isNaN(cpuAtLast)) {
            cpuAtLast = forwarder.cpuSeconds();
        }
        double forwarded = n - f.get("lost");
        figures.put("cost.cpuSeconds", cpuAtLast - cpuBefore);
        figures.put("saturation.cpuSecondsHarness", spent[0]);
        figures.put("saturation.cpuSecondsLnsBroker", spent[1]);
        figures.put("saturation.cpuSecondsCloudBroker", spent[2]);
        figures.put("saturation.cpuSecondsOutside", outside);
        figures.put("cost.cpuPer10k", forwarded == 0 ? Double.NaN : (cpuAtLast - cpuBefore) / forwarded * 10_000);
        figures.put("cost.rssRestMiB", figures.remove("rssRestMiB"));
        figures.put("cost.rssPeakMiB", peakKb / 1024);
        figures.put("cost.hwmMiB", forwarder.hwmKb() / 1024.0);
        figures.put("cost.startSeconds", figures.remove("startSeconds"));
    }

    /**
     * HTTP mode (behaviour.md 9): our jar posting to a web server in this JVM (answering at once, over loopback). N
     * uplinks flooded into the LNS broker (they wait for the server together, so they go as batches), then 200/s
     * paced for 10 s (each goes as it comes, alone). Rate, posts, mean uplinks per post, CPU s per 10k, latency.
     */
    private Map<String, Object> http(int run) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("run", run);
        Map<String, Double> figures = new LinkedHashMap<>();
        record.put("figures", figures);
        System.out.printf("run %d/%d http ... ", run, options.runs);
        System.out.flush();
        Path dir = Processes.tempDir("ours-http");
        Processes.Broker lns = null;
        Publisher pub = null;
        Forwarder forwarder = null;
        try (WebServer server = WebServer.start()) {
            lns = Processes.broker(dir, "lns", "max_inflight_messages " + options.lnsInflight + "\n");
            pub = new Publisher(lns.url());
            forwarder = Forwarder.ours(Path.of("").toAbsolutePath(), options.jar, jvmFlags, GW, lns.port(),
                    server.url(""), dir);
            Forwarder f = forwarder;
            if (!waitFor(() -> !server.requestsTo("/init").isEmpty() || !f.alive(), 60) || !f.alive()) {
                throw new IllegalStateException("not up within 60 s: " + forwarder.logTail());
            }
            probeUntil(pub, () -> !server.requests(r -> r.body().contains(Load.PROBE_DEVICE)).isEmpty());
            int n = options.n;
            int paced = 200 * RATE_SECONDS;
            Tally tally = new Tally(n + paced);
            int[] counted = {0}; // the server's requests already read into the tally
            Runnable read = () -> {
                List<WebServer.Request> ups = server.requestsTo("/up");
                for (int i = counted[0]; i < ups.size(); i++) {
                    WebServer.Request r = ups.get(i);
                    for (String uplink : r.body().startsWith("[") ? r.body().substring(1).split(",\\{\"jver\"")
                            : new String[] {r.body()}) {
                        byte[] json = uplink.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        int fcnt = Subscriber.fcnt(json);
                        int at = uplink.indexOf("\"deveui\":\"") + 10;
                        Integer d = Load.deviceIndex(uplink.substring(at, at + 23));
                        if (d != null && fcnt >= 0) {
                            tally.arrived(fcnt * Load.DEVICES + d, d, fcnt, r.nanos());
                        }
                    }
                }
                counted[0] = ups.size();
            };
            int postsBefore = server.requestsTo("/up").size();
            double cpuBefore = forwarder.cpuSeconds();
            pub.flood(0, n, Load::lnsTopic, tally);
            waitFor(() -> {
                read.run();
                return tally.distinct(0, n) == n;
            }, 120);
            double cpu = forwarder.cpuSeconds() - cpuBefore;
            int posts = server.requestsTo("/up").size() - postsBefore;
            Map<String, Double> flood = tally.figures(0, n);
            for (String key : List.of("rate", "lost", "duplicates", "outOfOrder")) {
                figures.put("flood." + key, flood.get(key));
            }
            figures.put("flood.posts", (double) posts);
            figures.put("flood.uplinksPerPost", (double) n / posts);
            figures.put("flood.cpuPer10k", cpu / n * 10_000);

            postsBefore = server.requestsTo("/up").size();
            pub.paced(n, n + paced, 200, Load::lnsTopic, tally);
            waitFor(() -> {
                read.run();
                return tally.distinct(n, n + paced) == paced;
            }, 60);
            posts = server.requestsTo("/up").size() - postsBefore;
            Map<String, Double> steady = tally.figures(n, n + paced);
            figures.put("paced.lost", steady.get("lost"));
            figures.put("paced.p50Ms", steady.get("p50"));
            figures.put("paced.p99Ms", steady.get("p99"));
            figures.put("paced.uplinksPerPost", (double) paced / posts);
            figures.put("rssMiB", forwarder.rssKb() / 1024.0);
            System.out.println(String.format(Locale.ROOT, "flood %.0f uplinks/s, %.1f per post, %.2f CPU s/10k;"
                    + " 200/s paced: p50 %.1f ms, %.2f per post", figures.get("flood.rate"),
                    figures.get("flood.uplinksPerPost"), figures.get("flood.cpuPer10k"), figures.get("paced.p50Ms"),
                    figures.get("paced.uplinksPerPost")));
        } catch (RuntimeException e) {
            record.put("error", e.toString());
            System.out.println("FAILED: " + e);
        } finally {
            if (pub != null) {
                pub.close();
            }
            if (forwarder != null) {
                forwarder.stop(record);
            }
            Processes.stop(lns);
            Processes.deleteTempDir(dir);
        }
        return record;
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

    private static String httpTable(List<Map<String, Object>> httpRuns) {
        StringBuilder t = new StringBuilder("HTTP mode, medians of " + httpRuns.size() + " run(s):\n");
        for (String key : List.of("flood.rate", "flood.uplinksPerPost", "flood.cpuPer10k", "flood.lost",
                "flood.outOfOrder", "paced.p50Ms", "paced.p99Ms", "paced.uplinksPerPost", "rssMiB")) {
            double[] values = httpRuns.stream().filter(r -> !r.containsKey("error"))
                    .mapToDouble(r -> ((Map<?, ?>) r.get("figures")).get(key) instanceof Double d ? d : Double.NaN)
                    .sorted().toArray();
            t.append(String.format(Locale.ROOT, "  %-22s %s%n", key,
                    values.length == 0 ? "-" : String.format(Locale.ROOT, "%.2f", values[values.length / 2])));
        }
        return t.toString();
    }

    /** 50, 200 and 1,000 uplinks/s for 10 s each, paced; each rate's uplinks are waited for before the next. */
    private void latency(Publisher pub, Subscriber sub, Map<String, Double> figures, long[] pids) {
        int total = Arrays.stream(RATES).map(r -> r * RATE_SECONDS).sum();
        Tally tally = new Tally(total);
        sub.count(tally);
        int from = 0;
        for (int rate : RATES) {
            int to = from + rate * RATE_SECONDS;
            Processes.CpuWatch cpu = new Processes.CpuWatch(pids);
            pub.paced(from, to, rate, Load::lnsTopic, tally);
            tally.await(from, to, System.nanoTime(), options.quiet, Double.MAX_VALUE);
            Map<String, Double> f = tally.figures(from, to);
            f.put("cpuSecondsOutside", cpu.outside());
            // sendSeconds: the pacing held if it is (count - 1) / rate
            for (String key : List.of("p50", "p90", "p99", "max", "lost", "duplicates", "outOfOrder", "sendSeconds",
                    "maxSentAtSeconds", "cpuSecondsOutside")) {
                figures.put("latency." + rate + "." + key, f.get(key));
            }
            from = to;
        }
    }

    /** Saturation again through the delay proxy (100 ms round trip to the cloud), waited for at most rtt-cap s. */
    private void rtt(Publisher pub, Subscriber sub, Map<String, Double> figures, long[] pids) {
        int n = options.rttN;
        Tally tally = new Tally(n);
        sub.count(tally);
        Processes.CpuWatch cpu = new Processes.CpuWatch(pids);
        pub.flood(0, n, Load::lnsTopic, tally);
        tally.await(0, n, System.nanoTime(), options.quiet, options.rttCap);
        figures.put("rtt.cpuSecondsOutside", cpu.outside());
        Map<String, Double> f = tally.figures(0, n);
        // p50 and max latency show the proxy at work: at least 50 ms, more as a window of unacked uplinks queues
        for (String key : List.of("rate", "received", "lost", "duplicates", "outOfOrder", "seconds", "p50", "max")) {
            figures.put("rtt." + key, f.get(key));
        }
    }

    /**
     * What the harness alone reaches: the same publisher and subscriber on one broker, the uplinks published on
     * their cloud topics directly. A forwarder measured near this figure is measured against the harness.
     */
    private Map<String, Object> harnessCheck() {
        System.out.print("harness ceiling ... ");
        System.out.flush();
        Path dir = Processes.tempDir("harness");
        Processes.Broker broker = Processes.broker(dir, "harness");
        try (Subscriber sub = new Subscriber(broker.url(), GW); Publisher pub = new Publisher(broker.url())) {
            Tally tally = new Tally(options.n);
            sub.count(tally);
            Processes.CpuWatch cpu = new Processes.CpuWatch(ProcessHandle.current().pid(), broker.process().pid());
            pub.flood(0, options.n, k -> Load.cloudTopic(GW, k), tally);
            long published = System.nanoTime();
            tally.await(0, options.n, published, options.quiet, Double.MAX_VALUE);
            double outside = cpu.outside();
            Map<String, Double> f = tally.figures(0, options.n);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("rate", f.get("rate"));
            h.put("publishRate", options.n / ((published - tally.sentNanos(0)) / 1e9));
            h.put("lost", f.get("lost"));
            h.put("duplicates", f.get("duplicates"));
            h.put("cpuSecondsOutside", outside);
            System.out.printf(Locale.ROOT, "%.0f uplinks/s (%.1f CPU s outside the benchmark)%n", f.get("rate"),
                    outside);
            return h;
        } finally {
            Processes.stop(broker.process(), 5);
            Processes.deleteTempDir(dir);
        }
    }

    private static String summary(String measurement, Map<String, Double> f) {
        return switch (measurement) {
            case "saturation" -> String.format(Locale.ROOT,
                    "%.0f uplinks/s, lost %s, dup %s, ooo %s, %.2f CPU s/10k (%.1f CPU s outside the benchmark)",
                    f.get("saturation.rate"), fmt(f.get("saturation.lost")), fmt(f.get("saturation.duplicates")),
                    fmt(f.get("saturation.outOfOrder")), f.get("cost.cpuPer10k"),
                    f.get("saturation.cpuSecondsOutside"));
            case "latency" -> String.format(Locale.ROOT,
                    "p99 %.1f / %.1f / %.1f ms, lost %s / %s / %s (%.1f / %.1f / %.1f CPU s outside)",
                    f.get("latency.50.p99"), f.get("latency.200.p99"), f.get("latency.1000.p99"),
                    fmt(f.get("latency.50.lost")), fmt(f.get("latency.200.lost")), fmt(f.get("latency.1000.lost")),
                    f.get("latency.50.cpuSecondsOutside"), f.get("latency.200.cpuSecondsOutside"),
                    f.get("latency.1000.cpuSecondsOutside"));
            default -> String.format(Locale.ROOT, "%.0f uplinks/s, received %s, lost %s (%.1f CPU s outside)",
                    f.get("rtt.rate"), fmt(f.get("rtt.received")), fmt(f.get("rtt.lost")),
                    f.get("rtt.cpuSecondsOutside"));
        };
    }

    /** The forwarder's log of each session, kept next to the JSON (the temporary directory goes). */
    private String saveLog(Path dir, Kind kind, String measurement, int run) {
        Path saved = options.out.resolveSibling("logs").resolve(run + "-" + measurement + "-" + kind.key + ".log");
        try {
            Files.createDirectories(saved.getParent());
            Files.copy(dir.resolve(kind == Kind.OURS ? "ours.log" : "bridge.log"), saved,
                    StandardCopyOption.REPLACE_EXISTING);
            return saved.toString();
        } catch (IOException e) {
            return "(not saved: " + e + ")";
        }
    }

    // ---- the table

    /**
     * A row of the table: a figure's key in the runs' figures, its label, the decimals it is shown with, and
     * whether each run's value is shown too when they differ (counts such as losses: a median hides a bad run).
     */
    private record Row(String group, String key, String label, int decimals, boolean perRun) {
        Row(String group, String key, String label, int decimals) {
            this(group, key, label, decimals, false);
        }
    }

    private static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("saturation", "saturation.rate", "saturation: uplinks/s (first publish to last arrival)", 0));
        rows.add(new Row("saturation", "saturation.publishRate",
                "saturation: uplinks/s into the LNS broker (harness check: above the row before)", 0));
        rows.add(new Row("saturation", "saturation.received", "saturation: received", 0, true));
        rows.add(new Row("saturation", "saturation.lost", "saturation: lost", 0, true));
        rows.add(new Row("saturation", "saturation.duplicates", "saturation: duplicated", 0, true));
        rows.add(new Row("saturation", "saturation.outOfOrder", "saturation: out of order per device", 0, true));
        for (int rate : RATES) {
            for (String p : List.of("p50", "p90", "p99", "max")) {
                rows.add(new Row("latency", "latency." + rate + "." + p, "latency at " + rate + "/s: " + p + " ms", 1));
            }
            rows.add(new Row("latency", "latency." + rate + ".lost", "latency at " + rate + "/s: lost", 0, true));
        }
        rows.add(new Row("rtt", "rtt.rate", "100 ms RTT: uplinks/s reached", 0));
        rows.add(new Row("rtt", "rtt.seconds", "100 ms RTT: s from first publish to last arrival", 1));
        rows.add(new Row("rtt", "rtt.p50", "100 ms RTT: p50 latency ms (the proxy's 50 ms included)", 1));
        rows.add(new Row("rtt", "rtt.lost", "100 ms RTT: lost (not arrived within the cap)", 0, true));
        rows.add(new Row("rtt", "rtt.duplicates", "100 ms RTT: duplicated", 0, true));
        rows.add(new Row("cost", "cost.cpuPer10k", "CPU s per 10,000 uplinks (saturation)", 2));
        rows.add(new Row("cost", "cost.rssRestMiB", "RSS at rest, MiB", 1));
        rows.add(new Row("cost", "cost.rssPeakMiB", "RSS peak during saturation (100 ms samples), MiB", 1));
        rows.add(new Row("cost", "cost.hwmMiB", "VmHWM after saturation, MiB", 1));
        rows.add(new Row("cost", "cost.startSeconds", "start to up (init / bridge state 1), s", 2));
        return rows;
    }

    private String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format("Medians of %d run(s); saturation N = %,d, 100 ms RTT N = %,d; %s.%n%n", options.runs,
                options.n, options.rttN, machineLine));
        t.append("| figure | ours | Mosquitto bridge | ours / Mosquitto |\n|---|---:|---:|---:|\n");
        for (Row row : rows()) {
            if (!options.only.contains(row.group())) {
                continue;
            }
            Double ours = median(Kind.OURS, row.key());
            Double mosquitto = median(Kind.MOSQUITTO, row.key());
            String ratio = ours == null || mosquitto == null || mosquitto == 0 || ours.isNaN() || mosquitto.isNaN()
                    ? "–" : String.format(Locale.ROOT, "%.2f", ours / mosquitto);
            t.append("| ").append(row.label()).append(" | ").append(cell(Kind.OURS, row)).append(" | ")
                    .append(cell(Kind.MOSQUITTO, row)).append(" | ").append(ratio).append(" |\n");
        }
        return t.toString();
    }

    /** The median, and for a count that differs between runs every run's value. */
    private String cell(Kind kind, Row row) {
        Double m = median(kind, row.key());
        if (m == null) {
            return "–";
        }
        String s = String.format(Locale.ROOT, "%,." + row.decimals() + "f", m);
        List<Double> all = values(kind, row.key());
        if (row.perRun() && all.stream().distinct().count() > 1) {
            s += " (runs: " + String.join(", ", all.stream().map(Benchmark::fmt).toList()) + ")";
        }
        return s;
    }

    private List<Double> values(Kind kind, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, Object> r : runs) {
            if (r.get("contender").equals(kind.key) && r.get("figures") instanceof Map<?, ?> f
                    && f.get(key) instanceof Double d && !d.isNaN()) {
                values.add(d);
            }
        }
        return values;
    }

    private Double median(Kind kind, String key) {
        return median(values(kind, key));
    }

    /** The median of {@code v} (sorted in place), null for none. */
    static Double median(List<Double> v) {
        if (v.isEmpty()) {
            return null;
        }
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    private Map<String, Double> medians(Kind kind) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Map<String, Object> r : runs) {
            if (r.get("contender").equals(kind.key) && r.get("figures") instanceof Map<?, ?> f) {
                for (Object key : f.keySet()) {
                    m.putIfAbsent((String) key, median(kind, (String) key));
                }
            }
        }
        return m;
    }

    private static String fmt(Double d) {
        return d == null || d.isNaN() ? "–" : String.format(Locale.ROOT, "%.0f", d);
    }

    // ---- set-up

    /**
     * The JVM flags our jar runs with: config/jvm.options, one flag per line, blank lines and lines starting with
     * # left out. The gateway's start script and systemd unit read the same file, so the benchmark measures the
     * jar as it is deployed.
     */
    static List<String> jvmFlags(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("date", ZonedDateTime.now().toString());
        m.put("nproc", Processes.output(List.of("nproc")).trim());
        m.put("cpuModel", Processes.read(Path.of("/proc/cpuinfo")).lines().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        m.put("memTotal", Processes.read(Path.of("/proc/meminfo")).lines().filter(l -> l.startsWith("MemTotal"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?"));
        m.put("kernel", Processes.read(Path.of("/proc/sys/kernel/osrelease")).trim());
        List<String> javaVersion = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        javaVersion.addAll(jvmFlags);
        javaVersion.add("-version");
        m.put("childJavaVersion", Processes.output(javaVersion).trim());
        m.put("mosquittoVersion", Processes.output(List.of(Processes.MOSQUITTO, "-h")).lines().findFirst()
                .orElse("?"));
        m.put("loadAverageAtStart", Processes.read(Path.of("/proc/loadavg")).trim());
        return m;
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

    /** The command-line options. */
    record Options(int runs, int n, int rttN, Set<String> only, Path out, Path jvmOptions, Path jar, double quiet,
            double rttCap, int lnsInflight, String arch, Path armhfRoot) {

        static final String USAGE = """
                options (mvn -q -Pbench -Dbench.args="..."):
                  --runs R          each measurement R times per contender, alternating; medians shown (3)
                  --n N             uplinks of the saturation run (100000)
                  --rtt-n N         uplinks of the run through the 100 ms RTT proxy (20000)
                  --rtt-cap S       give up waiting for the RTT run's uplinks S s after its first publish (180)
                  --quiet S         give up waiting when nothing new arrived for S s (10)
                  --only LIST       some of saturation,latency,rtt,cost,harness,http (all)
                  --out FILE        the JSON (target/bench/result.json)
                  --jvm-options F   our jar's JVM flags (config/jvm.options)
                  --jar FILE        our shaded jar (target/camel-app-connect.jar)
                  --lns-inflight N  the LNS broker's max_inflight_messages: unacknowledged uplinks it lets a client
                                    hold, which bounds ours to N per round trip to the cloud (20, Mosquitto's default)
                  --arch armhf      instead of the above: the JVM's committed memory (NMT) at rest and after 10,000
                                    uplinks, on x86-64 and on the armhf JVM under qemu, --runs times each
                  --armhf-root DIR  the armhf JRE that .ci/armhf-jre unpacks (target/armhf)""";

        static Options parse(String[] args) {
            int runs = 3;
            int n = 100_000;
            int rttN = 20_000;
            double rttCap = 180;
            double quiet = 10;
            Set<String> only = new LinkedHashSet<>(MEASUREMENTS);
            Path out = Path.of("target/bench/result.json");
            Path jvmOptions = Path.of("config/jvm.options");
            Path jar = Path.of("target/camel-app-connect.jar");
            int lnsInflight = 20;
            String arch = "x86-64";
            Path armhfRoot = Path.of("target/armhf");
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--n" -> n = Integer.parseInt(value);
                    case "--rtt-n" -> rttN = Integer.parseInt(value);
                    case "--rtt-cap" -> rttCap = Double.parseDouble(value);
                    case "--quiet" -> quiet = Double.parseDouble(value);
                    case "--only" -> {
                        only = new LinkedHashSet<>(Arrays.asList(value.split(",")));
                        if (!MEASUREMENTS.containsAll(only)) {
                            throw new IllegalArgumentException("--only takes " + MEASUREMENTS + ", not " + value);
                        }
                    }
                    case "--out" -> out = Path.of(value);
                    case "--jvm-options" -> jvmOptions = Path.of(value);
                    case "--jar" -> jar = Path.of(value);
                    case "--lns-inflight" -> lnsInflight = Integer.parseInt(value);
                    case "--arch" -> {
                        if (!List.of("x86-64", "armhf").contains(value)) {
                            throw new IllegalArgumentException("--arch takes x86-64 or armhf, not " + value);
                        }
                        arch = value;
                    }
                    case "--armhf-root" -> armhfRoot = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + option);
                }
            }
            return new Options(runs, n, rttN, only, out, jvmOptions, jar, quiet, rttCap, lnsInflight, arch, armhfRoot);
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", runs);
            m.put("n", n);
            m.put("rttN", rttN);
            m.put("rttCapSeconds", rttCap);
            m.put("quietSeconds", quiet);
            m.put("only", List.copyOf(only));
            m.put("out", out.toString());
            m.put("jvmOptions", jvmOptions.toString());
            m.put("jar", jar.toString());
            m.put("lnsInflight", lnsInflight);
            m.put("arch", arch);
            m.put("armhfRoot", armhfRoot.toString());
            m.put("rates", RATES);
            m.put("rateSeconds", RATE_SECONDS);
            m.put("oneWayDelayMs", ONE_WAY_MS);
            m.put("devices", Load.DEVICES);
            m.put("appEuis", Load.APPS);
            m.put("publisherMaxInFlight", Load.MAX_IN_FLIGHT);
            return m;
        }
    }
}
