package io.camelappconnect.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The benchmark's command-line options, parsed, with their defaults and usage text. */
record BenchmarkOptions(int runs, int n, int rttN, Set<String> only, Path out, Path jvmOptions, Path jar, double quiet,
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

    static BenchmarkOptions parse(String[] args) {
        int runs = 3;
        int n = 100_000;
        int rttN = 20_000;
        double rttCap = 180;
        double quiet = 10;
        Set<String> only = new LinkedHashSet<>(Benchmark.MEASUREMENTS);
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
                    if (!Benchmark.MEASUREMENTS.containsAll(only)) {
                        throw new IllegalArgumentException("--only takes " + Benchmark.MEASUREMENTS + ", not " + value);
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
        return new BenchmarkOptions(runs, n, rttN, only, out, jvmOptions, jar, quiet, rttCap, lnsInflight, arch,
                armhfRoot);
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
        m.put("rates", Benchmark.RATES);
        m.put("rateSeconds", Benchmark.RATE_SECONDS);
        m.put("oneWayDelayMs", Benchmark.ONE_WAY_MS);
        m.put("devices", Load.DEVICES);
        m.put("appEuis", Load.APPS);
        m.put("publisherMaxInFlight", Load.MAX_IN_FLIGHT);
        return m;
    }
}
