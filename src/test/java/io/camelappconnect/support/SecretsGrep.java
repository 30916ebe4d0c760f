package io.camelappconnect.support;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

/**
 * Greps log lines for the {@link TestSecrets}: the in-process log as the app's logback.xml writes it (its
 * {@code %msg} redacted, a stack trace in full), the log files of the app run as its own JVM, and any other text a
 * test hands it (a log_req answer). What it finds is kept as lines safe to print: where, the secret's label, the
 * line with the secret put as its label.
 */
public final class SecretsGrep {

    /** Where a line was seen, for the figures. */
    public enum Source { IN_PROCESS, APP_FILE, ANSWER }

    private final Layout<ILoggingEvent> layout = appLayout();
    private final Map<Source, AtomicLong> lines = new ConcurrentHashMap<>();
    private final List<String> found = new CopyOnWriteArrayList<>();
    /** A watched file and how many of its bytes (whole lines) were read. */
    private final Map<Path, Long> files = new ConcurrentHashMap<>();

    /** An appender, started, that greps each event as the app's log would show it. */
    public Appender<ILoggingEvent> appender() {
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                text(Source.IN_PROCESS, "logger " + event.getLoggerName(), layout.doLayout(event));
            }
        };
        appender.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        appender.setName("secrets-grep");
        appender.start();
        return appender;
    }

    /** Greps {@code text}, one or more lines, seen at {@code where}. */
    public void text(Source source, String where, String text) {
        AtomicLong seen = lines.computeIfAbsent(source, s -> new AtomicLong());
        text.lines().forEach(line -> {
            seen.incrementAndGet();
            TestSecrets.Found secret = TestSecrets.find(line);
            if (secret != null) {
                String masked = secret.masked().strip();
                found.add(where + ": " + secret.label() + " in: "
                        + (masked.length() > 300 ? masked.substring(0, 300) + "..." : masked));
            }
        });
    }

    /** Greps what is written to {@code file} from now on, at each {@link #readFiles()}. */
    public void watch(Path file) {
        files.putIfAbsent(file, 0L);
    }

    /** Greps the whole lines added to the watched files since the last look; a deleted file is let go. */
    public void readFiles() {
        for (Map.Entry<Path, Long> watched : files.entrySet()) {
            Path file = watched.getKey();
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                long from = watched.getValue();
                if (in.length() <= from) {
                    continue;
                }
                byte[] added = new byte[(int) Math.min(in.length() - from, Integer.MAX_VALUE)];
                in.seek(from);
                in.readFully(added);
                int whole = lastNewline(added) + 1; // a line still being written is read next time
                text(Source.APP_FILE, "file " + file, new String(added, 0, whole, StandardCharsets.UTF_8));
                files.put(file, from + whole);
            } catch (FileNotFoundException e) {
                files.remove(file);
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
        }
    }

    /** What was found since the last call, and forgets it. */
    public List<String> takeFound() {
        List<String> taken = new ArrayList<>(found);
        found.removeAll(taken);
        return taken;
    }

    public long lines(Source source) {
        AtomicLong n = lines.get(source);
        return n == null ? 0 : n.get();
    }

    public int files() {
        return files.size();
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The layout of the app's own log (src/main/resources/logback.xml, STDOUT), with its redacting %msg. */
    private static Layout<ILoggingEvent> appLayout() {
        LoggerContext app = new LoggerContext();
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(app);
        try {
            joran.doConfigure(SecretsGrep.class.getResource("/logback.xml"));
        } catch (JoranException e) {
            throw new IllegalStateException("the app's logback.xml", e);
        }
        Appender<ILoggingEvent> stdout = app.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
        if (stdout instanceof OutputStreamAppender<ILoggingEvent> out
                && out.getEncoder() instanceof LayoutWrappingEncoder<ILoggingEvent> encoder) {
            return encoder.getLayout();
        }
        throw new IllegalStateException("the app's logback.xml has no STDOUT appender with a layout");
    }
}
