package io.camelappconnect.support;

import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.camelappconnect.support.SecretsGrep.Source;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;

/**
 * Issue 20: no test secret reaches a log line. Registered for every test class of the suite (ServiceLoader,
 * src/test/resources/META-INF/services, junit-platform.properties), it greps ({@link SecretsGrep}) every line logged
 * in the test JVM, every line an {@link AppProcess} or {@link PackagedApp} wrote, and every log_req answer a
 * {@link RequestTestSupport} test took, and fails the test (or the class, for what came in its @BeforeAll or
 * @AfterAll) in which a secret was seen. A line logged by a thread a test left running is blamed on the test then
 * running. At the end of the run it prints how many lines it read.
 */
public final class NoSecretInLogs implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final SecretsGrep SUITE = new SecretsGrep();
    private static final Appender<ILoggingEvent> APPENDER = SUITE.appender();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoSecretInLogs.class);

    /** Greps what the app as its own JVM writes to {@code file}. */
    public static void watch(Path file) {
        SUITE.watch(file);
    }

    /** Greps an answer that goes where the log goes (a log_req answer, to the cloud). */
    public static void answer(String what, String text) {
        SUITE.text(Source.ANSWER, what, text);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(APPENDER.getName()) == null) {
            root.addAppender(APPENDER);
        }
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Summary.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        check();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        check();
    }

    private static void check() {
        SUITE.readFiles();
        List<String> found = SUITE.takeFound();
        if (!found.isEmpty()) {
            throw new AssertionFailedError("a test secret reached the log (issue 20):\n  " + lines(found));
        }
    }

    /** The first ten, enough to find the leak. */
    private static String lines(List<String> found) {
        return String.join("\n  ", found.subList(0, Math.min(10, found.size())))
                + (found.size() > 10 ? "\n  and " + (found.size() - 10) + " more lines" : "");
    }

    /** Closed with the root context, after the last class: the last look, and the figures. */
    static final class Summary implements AutoCloseable {
        @Override
        public void close() {
            SUITE.readFiles();
            List<String> found = SUITE.takeFound();
            System.out.printf("NoSecretInLogs: %d log lines read in-process, %d from %d app log files, %d of log_req"
                            + " answers; %s%n", SUITE.lines(Source.IN_PROCESS), SUITE.lines(Source.APP_FILE),
                    SUITE.files(), SUITE.lines(Source.ANSWER),
                    found.isEmpty() ? "no test secret among them" : "test secrets:\n  " + lines(found));
            if (!found.isEmpty()) {
                throw new AssertionFailedError("a test secret reached the log after the last test class (issue 20)");
            }
        }
    }
}
