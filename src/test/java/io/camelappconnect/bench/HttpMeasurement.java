package io.camelappconnect.bench;

import static io.camelappconnect.bench.Benchmark.GW;
import static io.camelappconnect.bench.Benchmark.RATE_SECONDS;
import static io.camelappconnect.bench.Benchmark.probeUntil;
import static io.camelappconnect.bench.Benchmark.waitFor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelappconnect.support.WebServer;

/** The benchmark's HTTP-mode measurement: our jar alone, posting to a web server in this JVM. */
final class HttpMeasurement {

    private final BenchmarkOptions options;
    private final List<String> jvmFlags;

    HttpMeasurement(BenchmarkOptions options, List<String> jvmFlags) {
        this.options = options;
        this.jvmFlags = jvmFlags;
    }

    /**
     * HTTP mode (behaviour.md 9): our jar posting to a web server in this JVM (answering at once, over loopback). N
     * uplinks flooded into the LNS broker (they wait for the server together, so they go as batches), then 200/s
     * paced for 10 s (each goes as it comes, alone). Rate, posts, mean uplinks per post, CPU s per 10k, latency.
     */
    Map<String, Object> run(int run) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("run", run);
        Map<String, Double> figures = new LinkedHashMap<>();
        record.put("figures", figures);
        System.out.printf("run %d/%d http ... ", run, options.runs());
        System.out.flush();
        Path dir = Processes.tempDir("ours-http");
        Processes.Broker lns = null;
        Publisher pub = null;
        Forwarder forwarder = null;
        try (WebServer server = WebServer.start()) {
            lns = Processes.broker(dir, "lns", "max_inflight_messages " + options.lnsInflight() + "\n");
            pub = new Publisher(lns.url());
            forwarder = Forwarder.ours(Path.of("").toAbsolutePath(), options.jar(), jvmFlags, GW, lns.port(),
                    server.url(""), dir);
            Forwarder f = forwarder;
            if (!waitFor(() -> !server.requestsTo("/init").isEmpty() || !f.alive(), 60) || !f.alive()) {
                throw new IllegalStateException("not up within 60 s: " + forwarder.logTail());
            }
            probeUntil(pub, () -> !server.requests(r -> r.body().contains(Load.PROBE_DEVICE)).isEmpty());
            int n = options.n();
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
}
