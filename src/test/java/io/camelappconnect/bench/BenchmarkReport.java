package io.camelappconnect.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelappconnect.bench.Forwarder.Kind;

/** What the benchmark prints and stores of its runs: the table of medians, each session's summary line. */
final class BenchmarkReport {

    private final BenchmarkOptions options;
    private final List<Map<String, Object>> runs;
    /** The machine in a few words, for the table's heading. */
    private final String machineLine;

    BenchmarkReport(BenchmarkOptions options, List<Map<String, Object>> runs, String machineLine) {
        this.options = options;
        this.runs = runs;
        this.machineLine = machineLine;
    }

    /** One session's figures in a line, printed as the session ends. */
    static String summary(String measurement, Map<String, Double> f) {
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

    /** The HTTP measurement's medians, one line per figure. */
    static String httpTable(List<Map<String, Object>> httpRuns) {
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
        for (int rate : Benchmark.RATES) {
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

    String table() {
        StringBuilder t = new StringBuilder();
        t.append(String.format("Medians of %d run(s); saturation N = %,d, 100 ms RTT N = %,d; %s.%n%n", options.runs(),
                options.n(), options.rttN(), machineLine));
        t.append("| figure | ours | Mosquitto bridge | ours / Mosquitto |\n|---|---:|---:|---:|\n");
        for (Row row : rows()) {
            if (!options.only().contains(row.group())) {
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
            s += " (runs: " + String.join(", ", all.stream().map(BenchmarkReport::fmt).toList()) + ")";
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

    Map<String, Double> medians(Kind kind) {
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

    static String fmt(Double d) {
        return d == null || d.isNaN() ? "–" : String.format(Locale.ROOT, "%.0f", d);
    }
}
