package io.camelappconnect.operations;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

/**
 * logging.file: the log also goes to a file, rolled by size (file, file.1 ... file.N), so that a gateway's small
 * /var/log holds a bounded amount and a log_req can read it. Added here rather than in logback.xml, which can't
 * make an appender depend on a property without a scripting library; the key is read like any other, so -D and the
 * environment override it.
 */
public final class LogFile {

    private static final String APPENDER = "LOG_FILE";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(LogFile.class);

    private LogFile() {
    }

    /** The app's own log file, rolled by size; no file when {@code file} is empty. */
    public record Logging(String file, int maxFileMiB, int maxFiles) {
    }

    public static void configure(Logging logging) {
        if (logging.file().isEmpty()) {
            return;
        }
        // by name: this class must load where logback is absent (Camel JBang logs through log4j)
        if (!LoggerFactory.getILoggerFactory().getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            LOG.warn("logging.file={}: not written, the logging here is not logback (Camel JBang's?)", logging.file());
            return;
        }
        Logback.addRollingFile(logging);
    }

    /** Loaded only when logback is the logging. */
    private static final class Logback {

        static void addRollingFile(Logging logging) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            Appender<ILoggingEvent> previous = root.getAppender(APPENDER); // a restart in the same JVM (tests)
            if (previous != null) {
                root.detachAppender(previous);
                previous.stop();
            }
            File file = canonical(logging.file());
            if (!file.getParentFile().isDirectory() || !file.getParentFile().canWrite()) {
                throw new IllegalArgumentException("logging.file=" + logging.file() + ": " + file.getParent()
                        + " is not a directory this user can write");
            }

            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            // the lines as on standard output (logback.xml)
            encoder.setPattern(root.getAppender("STDOUT") instanceof OutputStreamAppender<ILoggingEvent> out
                    && out.getEncoder() instanceof PatternLayoutEncoder console
                    ? console.getPattern() : "%d %-5level [%logger{0}] %msg%n");
            encoder.start();

            RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
            appender.setContext(context);
            appender.setName(APPENDER);
            appender.setFile(file.getPath());
            appender.setEncoder(encoder);

            FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
            rolling.setContext(context);
            rolling.setParent(appender);
            rolling.setFileNamePattern(file.getPath() + ".%i");
            rolling.setMinIndex(1);
            rolling.setMaxIndex(logging.maxFiles());
            rolling.start();

            SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
            trigger.setContext(context);
            trigger.setMaxFileSize(new FileSize(logging.maxFileMiB() * FileSize.MB_COEFFICIENT));
            trigger.setCheckIncrement(Duration.buildBySeconds(1)); // the size is looked at once a second at most
            trigger.start();

            appender.setRollingPolicy(rolling);
            appender.setTriggeringPolicy(trigger);
            appender.start();
            if (!appender.isStarted()) { // logback keeps the reason in its status list, which nothing prints here
                String why = context.getStatusManager().getCopyOfStatusList().stream()
                        .filter(s -> s.getLevel() == Status.ERROR).map(Status::getMessage).reduce((a, b) -> b)
                        .orElse("logback did not say why");
                throw new IllegalArgumentException("logging.file=" + logging.file() + ": cannot write it: " + why);
            }
            root.addAppender(appender);
            LOG.info("logging to {} too, at most {} MiB, then {} older files", file, logging.maxFileMiB(), logging.maxFiles());
        }
    }

    private static File canonical(String file) {
        try {
            return new File(file).getCanonicalFile();
        } catch (IOException e) {
            throw new UncheckedIOException("logging.file=" + file, e);
        }
    }
}
