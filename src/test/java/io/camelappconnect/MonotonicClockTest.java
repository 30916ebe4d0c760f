package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Issue 20 #9: every wait and interval is on the monotonic clock, so a wall clock set back (NTP after boot on a
 * gateway without RTC) stretches or stalls none of them: no route on {@code timer:} (java.util.Timer), no
 * java.util.Timer, no wait computed from currentTimeMillis or a Date in the code. What this reads for, the
 * clock-step tests run (Behaviour9HttpClockStepTest, Behaviour7CloudOutageClockStepTest,
 * Behaviour10AppNetworksClockStepTest): the app under libfaketime, its wall clock set back 2 hours as it runs.
 */
@Tag("step")
class MonotonicClockTest {

    private static final Pattern WALL_CLOCK_WAIT = Pattern.compile(
            "currentTimeMillis|java\\.util\\.Timer|new Timer\\(|new Date\\(|\\.getTime\\(\\)");

    private static List<String> lines(Path root, String suffix, Pattern pattern) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(suffix)).flatMap(p -> {
                try {
                    return Files.readAllLines(p).stream().filter(l -> pattern.matcher(l).find())
                            .map(l -> p + ": " + l.strip());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void noRouteRunsOnJavaUtilTimer() throws IOException {
        assertEquals(List.of(), lines(Path.of("routes"), ".yaml", Pattern.compile("\"timer:")));
    }

    @Test
    void noWaitInTheCodeIsOnTheWallClock() throws IOException {
        assertEquals(List.of(), lines(Path.of("src/main/java"), ".java", WALL_CLOCK_WAIT));
    }
}
