package io.camelappconnect.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
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

    /** Waits up to {@code seconds} for a warning containing every one of {@code parts}. */
    public String await(double seconds, String... parts) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            for (String w : warnings) {
                if (java.util.Arrays.stream(parts).allMatch(w::contains)) {
                    return w;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        } while (System.nanoTime() < end);
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
