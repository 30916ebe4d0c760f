package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.awaitility.Awaitility;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar ({@code target/camel-app-connect.jar}) run as a user runs it on a gateway: from a directory of
 * their own with a copy of {@code config/} and {@code routes/}, which a test edits as the user would, with no build.
 */
public final class PackagedApp implements AutoCloseable {

    public static final Path JAR = Path.of("target/camel-app-connect.jar").toAbsolutePath();

    private final Path dir;
    private Process process;
    private Path output;

    /** A directory with copies of the project's config/ and routes/. */
    public PackagedApp(Path dir) {
        this.dir = dir;
        copy(Path.of("config"), dir.resolve("config"));
        copy(Path.of("routes"), dir.resolve("routes"));
    }

    public Path dir() {
        return dir;
    }

    /** Edits a file of the copy, e.g. {@code routes/uplinks.yaml}; fails when the edit changed nothing. */
    public PackagedApp edit(String file, UnaryOperator<String> change) {
        try {
            Path path = dir.resolve(file);
            String before = Files.exists(path) ? Files.readString(path) : "";
            String after = change.apply(before);
            assertTrue(!after.equals(before), file + ": the edit changed nothing");
            Files.writeString(path, after);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds lines at the end of the copy's config/application.properties (a later key wins). */
    public PackagedApp configure(String... lines) {
        return edit("config/application.properties", text -> text + "\n" + String.join("\n", lines) + "\n");
    }

    /** Starts the jar on the test's own JVM. */
    public PackagedApp start() {
        return start(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:+UseSerialGC", "-jar", JAR.toString()));
    }

    /** Starts the app with a command of the test's own (another JVM, the README's flags), in the directory. */
    public PackagedApp start(List<String> command) {
        try {
            output = Files.createTempFile(dir, "app", ".log");
            NoSecretInLogs.watch(output);
            process = new ProcessBuilder(command)
                    .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as systemd and mPower's Start stop it; the exit code, or -1 if it still ran after the time given. */
    public int terminate(int seconds) throws InterruptedException {
        process.destroy();
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    public String output() {
        try {
            return output == null ? "" : Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for a line of the app's output containing {@code text}. */
    public void awaitLine(int seconds, String text) {
        Awaitility.await().atMost(Duration.ofSeconds(seconds)).pollInterval(Duration.ofMillis(100))
                .alias("a line with '" + text + "' from the packaged app")
                .until(() -> output().contains(text) || !process.isAlive());
        assertTrue(output().contains(text), "no line with '" + text + "'; the app wrote:\n" + output());
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** The files of a directory (not its subdirectories) into another, made when missing. */
    public static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
