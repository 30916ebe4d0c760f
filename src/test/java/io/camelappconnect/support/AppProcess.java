package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The bridge as its own JVM (io.camelappconnect.Main, config/application.properties, routes/*.yaml from the project
 * directory), so that a test can kill it with kill -9 or stop it with SIGTERM as a gateway would. Settings are
 * passed as -Dkey=value, which override the properties file. Its output goes to a file the test reads.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path output;

    private AppProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static AppProcess start(Map<String, String> settings) {
        return start(settings, Map.of());
    }

    /** As {@link #start(Map)}, with these environment variables on top of the test's (LD_PRELOAD, ...). */
    public static AppProcess start(Map<String, String> settings, Map<String, String> environment) {
        return start(settings, List.of("-Xmx64m", "-XX:+UseSerialGC"), environment);
    }

    /** As a gateway runs it: the JVM flags of config/jvm.options (its 32 MiB heap, its exit on OutOfMemoryError). */
    public static AppProcess startAsDeployed(Map<String, String> settings) {
        try {
            return start(settings, Files.readAllLines(Path.of("config/jvm.options")).stream().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList(), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AppProcess start(Map<String, String> settings, List<String> jvmFlags,
                                    Map<String, String> environment) {
        try {
            Path output = Files.createTempFile("app", ".log");
            NoSecretInLogs.watch(output);
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString()));
            command.addAll(jvmFlags);
            command.addAll(List.of("-Dlogback.configurationFile=src/main/resources/logback.xml", // the app's own log
                    "-cp", System.getProperty("java.class.path")));
            settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("io.camelappconnect.Main");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new AppProcess(process, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a line containing {@code text}; fails with the output so far if none comes, or the app ends first. */
    public String await(double seconds, String text) {
        try {
            return Awaitility.await("a line with '" + text + "' from the app")
                    .atMost(Duration.ofMillis((long) (seconds * 1000))).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("the app ended", () -> !process.isAlive() && line(text) == null)
                    .until(() -> line(text), Objects::nonNull);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            return fail("no line with '" + text + "' in " + seconds + " s"
                    + (process.isAlive() ? "" : ", the app ended") + "; the app wrote:\n" + output(), e);
        }
    }

    /** How many lines of the output so far contain {@code text}. */
    public long count(String text) {
        return output().lines().filter(l -> l.contains(text)).count();
    }

    /** The last line of the output so far that contains {@code text}, or null. */
    public String lastLine(String text) {
        return output().lines().filter(l -> l.contains(text)).reduce((first, second) -> second).orElse(null);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The first line of the output so far that contains {@code text}, or null. */
    private String line(String text) {
        for (String line : output().split("\n")) {
            if (line.contains(text)) {
                return line;
            }
        }
        return null;
    }

    /** kill -9: nothing runs after it, no MQTT DISCONNECT, nothing flushed but what the OS already has. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGTERM, as systemd or a reboot stops it; returns the exit code. */
    public int terminate() {
        process.destroy();
        return waitFor();
    }

    private int waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("the app did not stop within 20 s:\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
