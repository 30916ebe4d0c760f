package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The wall clock of an app process ({@link AppProcess}), set back while it runs, as NTP steps the clock of a gateway
 * without RTC once it reaches a time server. Debian's libfaketime (package faketime) is preloaded into the app's JVM
 * and reads the clock's offset from a file at every call, so the test steps the clock by rewriting the file. Only the
 * wall clock moves (CLOCK_REALTIME: currentTimeMillis, Instant.now, the log's timestamps); the monotonic clock stays
 * real, as it does under NTP. The offset (not a start-at date) is what a child process reads from the same file, so a
 * lora-query the app runs sees the same clock, without FAKETIME_DONT_RESET.
 */
public final class SteppedWallClock {

    /** Debian's (multiarch) place, then that of libfaketime's own {@code make install}. */
    private static final String[] PLACES = {"/usr/lib", "/usr/local/lib"};
    private static final String LIBRARY = "faketime/libfaketime.so.1";
    /** logback's {@code %d{yyyy-MM-dd'T'HH:mm:ss.SSS}} at the start of each of the app's lines (src/main/resources). */
    private static final int LOGGED_AT_LENGTH = "2026-01-01T00:00:00.000".length();

    private final Path library;
    private final Path offset;

    /** Skips the test (an assumption) where libfaketime is not installed; the clock starts at the real time. */
    public SteppedWallClock(Path dir) {
        Optional<Path> found = library();
        assumeTrue(found.isPresent(), "libfaketime is not installed (Debian: apt-get install faketime; .ci/run does):"
                + " no " + LIBRARY + " in " + String.join(" or ", PLACES) + ", nor in a directory of theirs");
        library = found.get();
        offset = dir.resolve("faketime.rc");
        write("+0");
    }

    private static Optional<Path> library() {
        for (String place : PLACES) {
            Path direct = Path.of(place, LIBRARY);
            if (Files.isRegularFile(direct)) {
                return Optional.of(direct);
            }
            try (Stream<Path> arches = Files.list(Path.of(place))) {
                Optional<Path> arch = arches.map(a -> a.resolve(LIBRARY)).filter(Files::isRegularFile).findFirst();
                if (arch.isPresent()) {
                    return arch;
                }
            } catch (IOException e) {
                // no such place
            }
        }
        return Optional.empty();
    }

    /** The app process's environment for it. */
    public Map<String, String> environment() {
        return Map.of("LD_PRELOAD", library.toString(),
                "FAKETIME_TIMESTAMP_FILE", offset.toString(),
                // the file is read at every clock call, so a step is seen at once (by default it is cached for 10 s)
                "FAKETIME_NO_CACHE", "1",
                // NTP steps the wall clock only; and a JVM whose monotonic clock is faked hangs (libfaketime's README)
                "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                // 0.9.10 turns its "monotonic fix" on by itself on glibc; with it a JVM 17's timed waits spin (100 %
                // CPU, a Thread.sleep(500) taking 650-1,000 ms; libfaketime issue #425), without it they are exact
                "FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }

    /** The app's wall clock goes back by {@code by} now (from its next clock call on). */
    public void stepBack(Duration by) {
        write("-" + by.toSeconds());
    }

    /** Replaced whole, never half written: libfaketime may read it at any moment. */
    private void write(String spec) {
        try {
            Path next = Files.writeString(offset.resolveSibling(offset.getFileName() + ".next"), spec + "\n");
            Files.move(next, offset, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** When the app wrote a line of its output, as its own clock said (local time, as the test's). */
    public static Instant loggedAt(String line) {
        return LocalDateTime.parse(line.substring(0, LOGGED_AT_LENGTH)).atZone(ZoneId.systemDefault()).toInstant();
    }

    /** How far the app's clock was behind the real one when it wrote {@code line}, which the test read just now. */
    public static Duration behind(String line, Instant readAt) {
        return Duration.between(loggedAt(line), readAt);
    }
}
