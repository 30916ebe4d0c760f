package io.camelappconnect.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;


/**
 * {@code --arch armhf}: the JVM's own committed memory (Native Memory Tracking) of our jar at rest and after
 * {@value #UPLINKS} uplinks, on this machine's x86-64 JVM and on Debian's armhf (ARMv7) JVM run through
 * qemu-user-static, the two taking turns. Emulated CPU time means nothing, and the emulator's own memory is in the
 * armhf process's RSS: the figures are NMT's, read with the host's jcmd (the attach protocol does not care for the
 * target's processor). Each maps the class-data archive made on its own JVM: x86-64 the one `mvn package` made,
 * armhf one it records first, as mPower's Start does at the first start on a gateway.
 */
final class Footprint {

    static final int UPLINKS = 10_000;
    static final String ARMHF_JAVA = "usr/lib/jvm/java-17-openjdk-armhf/bin/java";
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern CATEGORY = Pattern.compile("-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    /** NMT's categories shown on rows of their own; the rest goes to "other". */
    private static final Map<String, String> SHOWN = new LinkedHashMap<>();

    static {
        SHOWN.put("Java Heap", "heap");
        // the compressed class space (64-bit only) is NMT's Class, the rest of the class metadata its Metaspace
        SHOWN.put("Class", "metaspace");
        SHOWN.put("Metaspace", "metaspace");
        SHOWN.put("Code", "code");
        SHOWN.put("Thread", "threads");
        SHOWN.put("Symbol", "symbols");
        SHOWN.put("Shared class space", "cds");
        SHOWN.put("Native Memory Tracking", "nmt");
    }

    private final BenchmarkOptions options;
    private final List<String> jvmFlags;
    private final List<Map<String, Object>> runs = new ArrayList<>();

    Footprint(BenchmarkOptions options, List<String> jvmFlags) {
        this.options = options;
        List<String> flags = new ArrayList<>(jvmFlags);
        flags.add("-XX:NativeMemoryTracking=summary");
        this.jvmFlags = flags;
    }

    List<Map<String, Object>> run() {
        Path root = options.armhfRoot().toAbsolutePath();
        if (!Files.isExecutable(root.resolve(ARMHF_JAVA))) {
            throw new IllegalStateException("no armhf Java under " + root + ": make it with .ci/armhf-jre " + root);
        }
        for (int run = 1; run <= options.runs(); run++) {
            for (String arch : List.of("x86-64", "armhf")) {
                runs.add(measure(arch, run, root));
            }
        }
        System.out.println();
        System.out.println(table());
        return runs;
    }

    private Map<String, Object> measure(String arch, int run, Path armhfRoot) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("arch", arch);
        record.put("run", run);
        Map<String, Double> figures = new LinkedHashMap<>();
        record.put("figures", figures);
        System.out.printf("run %d/%d footprint %-7s ... ", run, options.runs(), arch);
        System.out.flush();
        Path dir = Processes.tempDir("footprint-" + arch);
        Processes.Broker lns = null;
        Processes.Broker cloud = null;
        Subscriber sub = null;
        Publisher pub = null;
        Forwarder forwarder = null;
        try {
            lns = Processes.broker(dir, "lns", "max_inflight_messages " + options.lnsInflight() + "\n");
            cloud = Processes.broker(dir, "cloud");
            sub = new Subscriber(cloud.url(), Benchmark.GW);
            pub = new Publisher(lns.url());
            Path projectDir = Path.of("").toAbsolutePath();
            Path jar = options.jar().toAbsolutePath();
            List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            if (arch.equals("armhf")) {
                // the 32-bit JVM under emulation cannot list ext4's directories (64-bit offsets): the JRE, the jar,
                // config/ and routes/ go on a tmpfs, as ArmV7RunIT does
                Path shm = Processes.tempDir(Path.of("/dev/shm"), "armhf");
                Path jre = shm.resolve("root");
                Processes.output(List.of("cp", "-a", armhfRoot.toString(), jre.toString()));
                projectDir = Files.createDirectories(shm.resolve("app"));
                for (String d : List.of("config", "routes")) {
                    Processes.output(List.of("cp", "-r", Path.of(d).toAbsolutePath().toString(), projectDir.toString()));
                }
                jar = Files.copy(jar, projectDir.resolve(jar.getFileName()));
                java = List.of("qemu-arm-static", "-L", jre.toString(), "-cpu", "cortex-a7",
                        jre.resolve(ARMHF_JAVA).toString());
                recordArchive(java, projectDir, jar, dir);
            }
            forwarder = Forwarder.ours(java, projectDir, jar, jvmFlags, Benchmark.GW, lns.port(),
                    "tcp://127.0.0.1:" + cloud.port(), dir);
            record.put("forwarderCommand", forwarder.command);
            Forwarder f = forwarder;
            Subscriber s = sub;
            if (!Benchmark.waitFor(() -> s.upNanos(Forwarder.Kind.OURS) != 0 || !f.alive(), 180)
                    || !f.alive()) {
                throw new IllegalStateException("not up within 180 s: " + forwarder.logTail());
            }
            figures.put("startSeconds", (s.upNanos(Forwarder.Kind.OURS) - forwarder.startedNanos) / 1e9);
            Benchmark.probeUntil(pub, s::probeArrived);
            Processes.sleep(5000);
            nmt(forwarder, "rest", figures);
            Tally tally = new Tally(UPLINKS);
            sub.count(tally);
            pub.flood(0, UPLINKS, Load::lnsTopic, tally);
            tally.await(0, UPLINKS, System.nanoTime(), options.quiet(), Double.MAX_VALUE);
            figures.put("lost", tally.figures(0, UPLINKS).get("lost"));
            Processes.sleep(5000);
            nmt(forwarder, "after", figures);
            System.out.printf(Locale.ROOT, "committed %.1f MiB at rest, %.1f after %,d uplinks (%.0f lost)%n",
                    figures.get("rest.jvm"), figures.get("after.jvm"), UPLINKS, figures.get("lost"));
        } catch (RuntimeException | IOException e) {
            record.put("error", e.toString());
            System.out.println("FAILED: " + e);
        } finally {
            if (pub != null) {
                pub.close();
            }
            if (forwarder != null) {
                forwarder.stop(record);
            }
            if (sub != null) {
                sub.close();
            }
            Processes.stop(lns, cloud);
            Processes.deleteTempDir(dir);
        }
        return record;
    }

    /**
     * The armhf JVM's own class-data archive beside the jar, recorded as mPower's Start records it at the first start
     * on a gateway (the one `mvn package` made is x86-64's): a run that starts, tries its brokers at a closed port and
     * stops after 3 s, then writes the archive.
     */
    private void recordArchive(List<String> java, Path installDir, Path jar, Path dir) {
        List<String> command = new ArrayList<>(java);
        command.addAll(jvmFlags);
        command.addAll(List.of("-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit=camel-app-connect.jsa",
                "-Xlog:cds=error:stderr", "-Dcamel.main.durationMaxSeconds=3", "-Dapp.url=tcp://127.0.0.1:9",
                "-Dlns.url=tcp://127.0.0.1:9", "-Dgateway.uuid=" + Benchmark.GW, "-Dgateway.euis=00-80-00-00-d0-00-01-1a",
                "-Dstore.dir=" + dir.resolve("record-store"), "-jar", installDir.relativize(jar).toString()));
        Process p = Processes.start(command, installDir, dir.resolve("record.log"));
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS) || !Files.isRegularFile(installDir.resolve("camel-app-connect.jsa"))) {
                throw new IllegalStateException("no armhf class-data archive recorded: "
                        + Processes.tail(dir.resolve("record.log"), 2000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Processes.stop(p, 5);
        }
    }

    /** NMT's summary as MiB per row, threads and classes as counts; RSS beside it (the emulator's own in it). */
    private static void nmt(Forwarder forwarder, String when, Map<String, Double> figures) {
        String summary = Processes.output(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(forwarder.pid()), "VM.native_memory", "summary"));
        Matcher total = TOTAL.matcher(summary);
        if (!total.find()) {
            throw new IllegalStateException("no NMT summary from jcmd: " + summary);
        }
        double all = Long.parseLong(total.group(1)) / 1024.0;
        double other = all;
        Matcher category = CATEGORY.matcher(summary);
        while (category.find()) {
            String key = SHOWN.get(category.group(1));
            if (key != null) {
                double mib = Long.parseLong(category.group(2)) / 1024.0;
                figures.merge(when + "." + key, mib, Double::sum);
                other -= mib;
            }
        }
        figures.put(when + ".other", other);
        figures.put(when + ".total", all);
        // the JVM's own memory: NMT's bookkeeping is there only because it is measured
        figures.put(when + ".jvm", all - figures.getOrDefault(when + ".nmt", 0.0));
        figures.put(when + ".threadCount", count(summary, "\\(thread #(\\d+)\\)"));
        figures.put(when + ".classCount", count(summary, "\\(classes #(\\d+)\\)"));
        figures.put(when + ".rss", forwarder.rssKb() / 1024.0);
    }

    private static double count(String summary, String regex) {
        Matcher m = Pattern.compile(regex).matcher(summary);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private String table() {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "Footprint, medians of %d run(s): NMT's "
                + "committed MiB, our jar with %s; armhf is Debian's Java 17 under qemu-user-static.%n%n",
                options.runs(), options.jvmOptions()));
        t.append("| figure | x86-64 at rest | x86-64 after ").append(String.format("%,d", UPLINKS))
                .append(" | armhf at rest | armhf after ").append(String.format("%,d", UPLINKS))
                .append(" |\n|---|---:|---:|---:|---:|\n");
        String[][] rows = {
            {"jvm", "JVM committed (NMT total less NMT's own), MiB"}, {"heap", "  Java heap"},
            {"metaspace", "  class metadata (metaspace, class space)"}, {"cds", "  class-data archive (mapped)"},
            {"code", "  code cache"}, {"symbols", "  symbols"}, {"threads", "  thread stacks"},
            {"other", "  other (GC, compiler, internal, arenas...)"}, {"nmt", "NMT's own bookkeeping, MiB"},
            {"threadCount", "threads"}, {"classCount", "classes loaded"},
            {"rss", "RSS, MiB (armhf: the emulator's memory in it)"}};
        for (String[] row : rows) {
            t.append("| ").append(row[1]);
            for (String arch : List.of("x86-64", "armhf")) {
                for (String when : List.of("rest", "after")) {
                    Double m = median(arch, when + "." + row[0]);
                    boolean count = row[0].endsWith("Count");
                    t.append(" | ").append(m == null ? "–" : String.format(Locale.ROOT, count ? "%,.0f" : "%.1f", m));
                }
            }
            t.append(" |\n");
        }
        Double startArm = median("armhf", "startSeconds");
        Double startX86 = median("x86-64", "startSeconds");
        t.append(String.format(Locale.ROOT, "%nstart to init: x86-64 %.2f s, armhf (emulated) %.1f s; uplinks lost: "
                + "x86-64 %.0f, armhf %.0f%n", nz(startX86), nz(startArm), nz(median("x86-64", "lost")),
                nz(median("armhf", "lost"))));
        return t.toString();
    }

    private static double nz(Double d) {
        return d == null ? Double.NaN : d;
    }

    private Double median(String arch, String key) {
        List<Double> v = new ArrayList<>();
        for (Map<String, Object> r : runs) {
            if (r.get("arch").equals(arch) && r.get("figures") instanceof Map<?, ?> f && f.get(key) instanceof Double d
                    && !d.isNaN()) {
                v.add(d);
            }
        }
        return BenchmarkReport.median(v);
    }
}
