package io.camelappconnect.bench;

import static io.camelappconnect.bench.Benchmark.GW;
import static io.camelappconnect.bench.Benchmark.ONE_WAY_MS;
import static io.camelappconnect.bench.Benchmark.RATES;
import static io.camelappconnect.bench.Benchmark.RATE_SECONDS;
import static io.camelappconnect.bench.Benchmark.probeUntil;
import static io.camelappconnect.bench.Benchmark.waitFor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelappconnect.bench.Forwarder.Kind;
import io.camelappconnect.support.TcpProxy;

/** The MQTT measurements of the benchmark (saturation, latency, round trip, the harness ceiling), one session each. */
final class MqttMeasurements {

    private final BenchmarkOptions options;
    private final List<String> jvmFlags;

    MqttMeasurements(BenchmarkOptions options, List<String> jvmFlags) {
        this.options = options;
        this.jvmFlags = jvmFlags;
    }

    /**
     * One contender, one measurement: fresh brokers, the forwarder started and waited for, then the load. The
     * start-up time and memory at rest are read in every session; the table takes them from the saturation one.
     */
    Map<String, Object> session(Kind kind, String measurement, int run) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("contender", kind.key);
        record.put("run", run);
        record.put("measurement", measurement);
        Map<String, Double> figures = new LinkedHashMap<>();
        record.put("figures", figures);
        System.out.printf("run %d/%d %-10s %-9s ... ", run, options.runs(), measurement, kind.key);
        System.out.flush();
        Path dir = Processes.tempDir(kind.key + "-" + measurement);
        Processes.Broker lns = null;
        Processes.Broker cloud = null;
        TcpProxy proxy = null;
        Subscriber sub = null;
        Publisher pub = null;
        Forwarder forwarder = null;
        try {
            lns = Processes.broker(dir, "lns", "max_inflight_messages " + options.lnsInflight() + "\n");
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
                    ? Forwarder.ours(projectDir, options.jar(), jvmFlags, GW, lns.port(), cloudPort, dir)
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
            System.out.println(BenchmarkReport.summary(measurement, figures));
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
        int n = options.n();
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
        tally.await(0, n, published, options.quiet(), Double.MAX_VALUE);
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
            tally.await(from, to, System.nanoTime(), options.quiet(), Double.MAX_VALUE);
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
        int n = options.rttN();
        Tally tally = new Tally(n);
        sub.count(tally);
        Processes.CpuWatch cpu = new Processes.CpuWatch(pids);
        pub.flood(0, n, Load::lnsTopic, tally);
        tally.await(0, n, System.nanoTime(), options.quiet(), options.rttCap());
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
    Map<String, Object> harnessCheck() {
        System.out.print("harness ceiling ... ");
        System.out.flush();
        Path dir = Processes.tempDir("harness");
        Processes.Broker broker = Processes.broker(dir, "harness");
        try (Subscriber sub = new Subscriber(broker.url(), GW); Publisher pub = new Publisher(broker.url())) {
            Tally tally = new Tally(options.n());
            sub.count(tally);
            Processes.CpuWatch cpu = new Processes.CpuWatch(ProcessHandle.current().pid(), broker.process().pid());
            pub.flood(0, options.n(), k -> Load.cloudTopic(GW, k), tally);
            long published = System.nanoTime();
            tally.await(0, options.n(), published, options.quiet(), Double.MAX_VALUE);
            double outside = cpu.outside();
            Map<String, Double> f = tally.figures(0, options.n());
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("rate", f.get("rate"));
            h.put("publishRate", options.n() / ((published - tally.sentNanos(0)) / 1e9));
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

    /** The forwarder's log of each session, kept next to the JSON (the temporary directory goes). */
    private String saveLog(Path dir, Kind kind, String measurement, int run) {
        Path saved = options.out().resolveSibling("logs").resolve(run + "-" + measurement + "-" + kind.key + ".log");
        try {
            Files.createDirectories(saved.getParent());
            Files.copy(dir.resolve(kind == Kind.OURS ? "ours.log" : "bridge.log"), saved,
                    StandardCopyOption.REPLACE_EXISTING);
            return saved.toString();
        } catch (IOException e) {
            return "(not saved: " + e + ")";
        }
    }
}
