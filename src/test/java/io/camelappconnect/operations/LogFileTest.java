package io.camelappconnect.operations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** logging.file: the log goes to a file too, rolled by size, so a gateway's /var/log holds a bounded amount. */
@Tag("step")
class LogFileTest {

    private final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);

    @TempDir
    Path dir;

    @AfterEach
    void removeTheFileAppender() {
        Appender<ILoggingEvent> file = root.getAppender("LOG_FILE");
        if (file != null) {
            root.detachAppender(file);
            file.stop();
        }
    }

    @Test
    void theLogRollsAtMaxFileMiBAndKeepsMaxFilesOlderOnes() throws Exception {
        Path log = dir.resolve("app.log");
        LogFile.configure(new LogFile.Logging(log.toString(), 1, 2));
        org.slf4j.Logger filler = LoggerFactory.getLogger("filler");
        String line = "x".repeat(1000);
        Appender<ILoggingEvent> console = root.getAppender("STDOUT");
        root.detachAppender(console); // 5 MB of filler is not for the test's output
        try {
            for (int second = 0; second < 5; second++) { // the size is looked at once a second
                for (int i = 0; i < 1100; i++) {
                    filler.info("{} {}", second, line);
                }
                Thread.sleep(1100); // a sleep: the time is the point, the size check comes due once a second
            }
            filler.info("the last line");
        } finally {
            root.addAppender(console);
        }

        assertTrue(Files.readString(log).contains("[filler] the last line"), "the newest lines in app.log");
        for (String rolled : new String[] {"app.log.1", "app.log.2"}) {
            long size = Files.size(dir.resolve(rolled));
            assertTrue(size > 1_000_000 && size < 1_300_000, rolled + " is " + size + " bytes, not about 1 MiB");
        }
        assertFalse(Files.exists(dir.resolve("app.log.3")), "only logging.maxFiles=2 older files");
        assertEquals(3, filesIn(dir));
    }

    @Test
    void aMissingDirectoryStopsTheStartSayingWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LogFile.configure(new LogFile.Logging(dir.resolve("missing/app.log").toString(), 1, 3)));
        assertEquals("logging.file=" + dir.resolve("missing/app.log") + ": " + dir.resolve("missing")
                + " is not a directory this user can write", e.getMessage());
    }

    private static long filesIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.count();
        }
    }
}
