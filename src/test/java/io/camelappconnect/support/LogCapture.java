package io.camelappconnect.support;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.LoggerFactory;

/** The app's log lines at WARN and above, as a person reading the log would see them. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

    private final List<String> warnings = new CopyOnWriteArrayList<>();

    public static LogCapture capture() {
        LogCapture capture = new LogCapture();
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
            warnings.add(event.getLevel() + " " + event.getFormattedMessage());
        }
    }

    public List<String> warnings() {
        return warnings;
    }

    /**
     * Waits up to {@code seconds} (0: looks once) for a warning containing every one of {@code parts}; null when none
     * came, and then the warnings there were go to stderr, for the failure that follows.
     */
    public String await(double seconds, String... parts) {
        String found = find(parts);
        if (found != null) {
            return found;
        }
        if (seconds > 0) {
            try {
                return Awaitility.await("a warning with " + Arrays.toString(parts))
                        .atMost(Duration.ofMillis((long) (seconds * 1000))).pollInterval(Duration.ofMillis(20))
                        .until(() -> find(parts), Objects::nonNull);
            } catch (ConditionTimeoutException e) {
                // null below: the caller says what was missing
            }
        }
        System.err.println("LogCapture: no warning with " + Arrays.toString(parts) + " in " + seconds
                + " s; the warnings were: " + warnings);
        return null;
    }

    private String find(String... parts) {
        for (String w : warnings) {
            if (Arrays.stream(parts).allMatch(w::contains)) {
                return w;
            }
        }
        return null;
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
