package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

import static org.awaitility.Awaitility.await;

/**
 * A real Mosquitto process (Debian's {@code mosquitto}; .ci/run installs it) on a free loopback port, for interop:
 * it follows MQTT 3.1.1 to the letter where the embedded broker does not (the retain flag on a new subscription).
 */
public final class Mosquitto implements TestBroker {

    private final int port = EmbeddedBroker.freePort();
    private final Path dir;
    private Process process;

    private Mosquitto() throws IOException {
        dir = Files.createTempDirectory("mosquitto");
    }

    /** A plain listener, anonymous clients, no persistence. */
    public static Mosquitto start() {
        return start((port, dir) -> "listener " + port + " 127.0.0.1\nallow_anonymous true\n");
    }

    /**
     * With the listener (and anything else) a test writes: {@code config} gets the free port and the broker's own
     * temporary directory (for certificates, a password file), after defaults it may override (no persistence,
     * 100,000 messages queued per client).
     */
    public static Mosquitto start(BiFunction<Integer, Path, String> config) {
        try {
            Mosquitto m = new Mosquitto();
            Files.writeString(m.dir.resolve("mosquitto.conf"), "persistence false\nmax_queued_messages 100000\n"
                    + config.apply(m.port, m.dir) + "\n");
            m.restart();
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A password file of one user, for a listener's {@code password_file} (with {@code allow_anonymous false}):
     * Debian's mosquitto ships mosquitto_passwd, whose -b takes the password from the command line.
     */
    public static Path passwordFile(Path dir, String user, String password) {
        Path file = dir.resolve("passwords");
        try {
            Process p = new ProcessBuilder("mosquitto_passwd", "-c", "-b", file.toString(), user, password)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("mosquitto_passwd: " + out);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** What the broker wrote to its log so far. */
    public String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9: no goodbye to anyone, nothing saved. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void restart() {
        try {
            process = new ProcessBuilder(binary(), "-c", dir.resolve("mosquitto.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitListening(process, port, 5, this::log);
    }

    /** Waits until {@code process} listens on {@code port}; fails with what it logged when it doesn't in time. */
    public static void awaitListening(Process process, int port, long seconds, Supplier<String> log) {
        try {
            await().alias("mosquitto listening on " + port).atMost(seconds, TimeUnit.SECONDS)
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .failFast("mosquitto ended", () -> !process.isAlive())
                    .until(() -> listening(port));
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("mosquitto did not listen on " + port + ": " + log.get(), e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.destroyForcibly();
            process = null;
        }
    }

    /** Debian's mosquitto, or the one on PATH. */
    public static String binary() {
        for (String candidate : new String[] {"/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "mosquitto";
    }
}
