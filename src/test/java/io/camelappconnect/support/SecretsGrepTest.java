package io.camelappconnect.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import io.camelappconnect.support.SecretsGrep.Source;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20's secrets grep can fail: secrets logged raw through a logger of this test's own, out of the suite's
 * grep's sight (not additive), are found and named by their label, never shown; what the app's log redacts is not.
 */
@Tag("step")
class SecretsGrepTest {

    private final SecretsGrep grep = new SecretsGrep();
    private final Appender<ILoggingEvent> appender = grep.appender();
    private final Logger raw = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("secrets-grep-self-test");

    @TempDir
    Path dir;

    SecretsGrepTest() {
        raw.setAdditive(false);
        raw.addAppender(appender);
    }

    @AfterEach
    void detach() {
        raw.detachAppender(appender);
        appender.stop();
    }

    @Test
    void aPasswordLoggedRawIsFoundByItsLabelAndNotShown() {
        raw.warn("connecting as gateway-7 with {}", TestSecrets.BROKER_PASSWORD);
        raw.warn("refused", new IllegalStateException("the broker said no to " + TestSecrets.MPOWER_PASSWORD));

        List<String> found = grep.takeFound();
        assertEquals(2, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("logger secrets-grep-self-test: a broker password in: "), found.get(0));
        assertTrue(found.get(0).endsWith("connecting as gateway-7 with <a broker password>"), found.get(0));
        assertTrue(found.get(1).contains("the mPower API's password in: java.lang.IllegalStateException"),
                "a stack trace is read as the app's log writes it: " + found.get(1));
        assertFalse(String.join("\n", found).contains(TestSecrets.BROKER_PASSWORD)
                || String.join("\n", found).contains(TestSecrets.MPOWER_PASSWORD), found.toString());
        assertTrue(grep.takeFound().isEmpty(), "taken once");
    }

    @Test
    void whatTheAppsLogRedactsIsNotFound() {
        String key = TestCertificates.ca("self-test").pkcs8KeyPem();
        raw.warn("cloud mqtts://gw:{}@broker:8883 refused", TestSecrets.APP_PASSWORD);
        raw.warn("apikey={}", key.strip());
        raw.warn("a library's failure", new IllegalStateException("connecting to mqtts://gw:" + TestSecrets.APP_PASSWORD
                + "@broker failed", new IllegalArgumentException("apikey " + key.strip())));

        assertEquals(List.of(), grep.takeFound(), "a stack trace is redacted as the message is");
        assertTrue(grep.lines(Source.IN_PROCESS) > 3, "the stack trace's lines too");
        raw.warn("a key's body without its markers: {}", key.lines().toList().get(1));
        assertTrue(grep.takeFound().get(0).contains("a test's private key (PKCS#8)"), "the made key is known");
    }

    @Test
    void aSecretInAnAppsLogFileIsFoundNamingTheFile() throws Exception {
        Path log = Files.writeString(dir.resolve("app.log"), "INFO started\n");
        grep.watch(log);
        grep.readFiles();
        Files.writeString(log, "WARN app.url=tcp://gw:" + TestSecrets.APP_PASSWORD, StandardOpenOption.APPEND);
        grep.readFiles();
        assertEquals(List.of(), grep.takeFound(), "a line still being written is read when it ends");

        Files.writeString(log, "@127.0.0.1\n", StandardOpenOption.APPEND);
        grep.readFiles();
        assertEquals(List.of("file " + log + ": a LENS entry's or URL login's password in: WARN app.url=tcp://gw:"
                + "<a LENS entry's or URL login's password>@127.0.0.1"), grep.takeFound());
        assertEquals(2, grep.lines(Source.APP_FILE));
    }

    /** The suite's own grep, which every test class has: a secret handed to it fails the test it came in. */
    @Test
    void theSuitesGrepFailsTheTestInWhichASecretCame() {
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertNotNull(root.getAppender("secrets-grep"), "NoSecretInLogs is on for this class (autodetected)");

        NoSecretInLogs.answer("a log_req answer", "{\"lines\":[\"password " + TestSecrets.BROKER_PASSWORD + "\"]}");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class,
                () -> new NoSecretInLogs().afterEach(null));
        assertEquals("a test secret reached the log (issue 20):\n  a log_req answer: a broker password in: "
                + "{\"lines\":[\"password <a broker password>\"]}", failure.getMessage());
    }
}
