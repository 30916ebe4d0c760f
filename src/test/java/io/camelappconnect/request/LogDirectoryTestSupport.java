package io.camelappconnect.request;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A log directory of the test's own, a LogTail reading it with the bounds below, and files written into it. */
abstract class LogDirectoryTestSupport {

    static final int MAX_LINES = 1000;
    static final int ANSWER = 256 * 1024;
    static final long SCAN = 64L << 20;

    @TempDir
    Path tmp;
    Path logDir;
    LogTail tail;

    @BeforeEach
    void setUp() throws IOException {
        logDir = Files.createDirectory(tmp.resolve("log"));
        tail = new LogTail(logDir, MAX_LINES, ANSWER, SCAN, Duration.ofSeconds(10));
    }

    Path write(String name, String text) throws IOException {
        Path file = logDir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
