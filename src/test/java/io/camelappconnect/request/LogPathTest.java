package io.camelappconnect.request;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 5.3: the file a log_req names is read only inside the log directory, whatever the path says. */
@Tag("step")
class LogPathTest extends LogDirectoryTestSupport {

    private String error(String file, int lines, String filter) {
        return assertThrows(RequestError.class, () -> tail.read(file, lines, filter)).getMessage();
    }

    private String outside(String file) {
        return "'" + file + "' is not inside " + logDir;
    }

    @Test
    void bareNameRelativeAndAbsolutePathInside() throws IOException {
        write("messages", "hello\n");
        write("lora/packet.log", "packet\n");
        assertEquals("hello", tail.read("messages", 1, null).text());
        assertEquals("hello", tail.read(logDir.resolve("messages").toString(), 1, null).text());
        assertEquals("hello", tail.read("./lora/../messages", 1, null).text());
        assertEquals("packet", tail.read("lora/packet.log", 1, null).text());
        assertEquals("packet", tail.read(logDir.resolve("lora/packet.log").toString(), 1, null).text());
    }

    @Test
    void pathsOutsideAreRejectedAlikeWhetherTheyExistOrNot() throws IOException {
        Files.createSymbolicLink(logDir.resolve("etc"), tmp); // a link to a directory outside
        List<String> escapes = List.of("../outside.txt", logDir + "/../outside.txt",
                tmp.resolve("outside.txt").toString(), "lora/../../outside.txt", "no-such-dir/../../outside.txt",
                "etc/outside.txt", "../../../../../outside.txt");
        List<String> before = escapes.stream().map(f -> error(f, 10, null)).toList();
        Files.writeString(tmp.resolve("outside.txt"), "secret\n");
        Files.createDirectory(logDir.resolve("lora"));
        List<String> after = escapes.stream().map(f -> error(f, 10, null)).toList();
        assertEquals(before, after);
        assertEquals(escapes.stream().map(this::outside).toList(), after);
        assertEquals(outside("/etc/passwd"), error("/etc/passwd", 10, null));
        assertEquals(outside("/etc/no-such-file"), error("/etc/no-such-file", 10, null));
        assertEquals(outside("/"), error("/", 10, null));
        assertEquals(outside(".."), error("..", 10, null));
    }

    @Test
    void aPathOutsideIsJudgedByNameEvenIfItLeadsBackIn() throws IOException {
        write("messages", "hello\n");
        Path back = Files.createSymbolicLink(tmp.resolve("back"), logDir);
        String file = back.resolve("messages").toString();
        assertEquals(outside(file), error(file, 1, null));
    }

    @Test
    void dotDotIsTakenByNameSoItTellsNothingAboutOutsideDirectories() throws IOException {
        write("messages", "hello\n");
        String probe = tmp + "/probe/../log/messages"; // resolved by the system only if tmp/probe exists
        LogTail.Result before = tail.read(probe, 1, null);
        Files.createDirectory(tmp.resolve("probe"));
        assertEquals(before, tail.read(probe, 1, null));
        assertEquals("hello", before.text());
    }

    @Test
    void symlinkPointingOutsideIsRejectedAndInsideAllowed() throws IOException {
        Path secret = Files.writeString(tmp.resolve("secret"), "password\n");
        write("real.log", "inside\n");
        Files.createSymbolicLink(logDir.resolve("evil.log"), secret);
        Files.createSymbolicLink(logDir.resolve("dangling.log"), tmp.resolve("none"));
        Files.createSymbolicLink(logDir.resolve("good.log"), logDir.resolve("real.log"));
        Files.createSymbolicLink(logDir.resolve("relative.log"), Path.of("real.log"));
        Files.createSymbolicLink(logDir.resolve("rotated.log"), Path.of("gone.log"));
        assertEquals(outside("evil.log"), error("evil.log", 10, null));
        assertEquals(outside("dangling.log"), error("dangling.log", 10, null)); // same answer as evil.log
        assertEquals("inside", tail.read("good.log", 10, null).text());
        assertEquals("inside", tail.read("relative.log", 10, null).text());
        assertEquals("'rotated.log' was not found in " + logDir, error("rotated.log", 10, null));
    }

    @Test
    void directoriesAndMissingFilesAreErrors() throws IOException {
        Files.createDirectory(logDir.resolve("lora"));
        assertEquals("'lora' is a directory, not a log file", error("lora", 10, null));
        assertEquals("'.' is a directory, not a log file", error(".", 10, null));
        assertEquals("'missing.log' was not found in " + logDir, error("missing.log", 10, null));
        assertEquals("'lora/x/missing.log' was not found in " + logDir, error("lora/x/missing.log", 10, null));
        assertTrue(error("", 10, null).startsWith("'file' is required"));
        assertTrue(error(null, 10, null).startsWith("'file' is required"));
        assertTrue(error("messages\0.txt", 10, null).contains("NUL"));
    }

    @Test
    void missingLogDirectoryFailsEveryRequest() throws IOException {
        Path gone = tmp.resolve("gone");
        LogTail noDir = new LogTail(gone, 10, 1000, 1000, Duration.ofSeconds(1));
        RequestError e = assertThrows(RequestError.class, () -> noDir.read("messages", 1, null));
        assertEquals("the log directory " + gone + " does not exist or can't be reached", e.getMessage());
    }
}
