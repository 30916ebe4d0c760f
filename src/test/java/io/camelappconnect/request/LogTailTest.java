package io.camelappconnect.request;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("step")
class LogTailTest extends LogDirectoryTestSupport {

    private static String numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    }

    private String error(String file, int lines, String filter) {
        return assertThrows(RequestError.class, () -> tail.read(file, lines, filter)).getMessage();
    }

    @Test
    void lastLines() throws IOException {
        write("messages", numbered(1, 10) + "\n");
        assertEquals(new LogTail.Result("line 8\nline 9\nline 10", null), tail.read("messages", 3, null));
        assertEquals(new LogTail.Result("line 10", null), tail.read("messages", 1, ""));
    }

    @Test
    void fewerLinesThanAskedWithOrWithoutFinalNewline() throws IOException {
        write("a", "one\ntwo\nthree\n");
        write("b", "one\ntwo\nthree");
        write("c", "\nafter an empty line\n");
        assertEquals(new LogTail.Result("one\ntwo\nthree", null), tail.read("a", 100, null));
        assertEquals(new LogTail.Result("one\ntwo\nthree", null), tail.read("b", 100, null));
        assertEquals(new LogTail.Result("\nafter an empty line", null), tail.read("c", 100, null));
    }

    @Test
    void emptyFileOrNoMatchIsAnEmptyAnswer() throws IOException {
        write("empty", "");
        write("messages", "one\ntwo\n");
        assertEquals(new LogTail.Result("", null), tail.read("empty", 10, null));
        assertEquals(new LogTail.Result("", null), tail.read("messages", 10, "three"));
    }

    @Test
    void filterIsCaseInsensitiveExtendedRegex() throws IOException {
        write("messages", "LoRa uplink\nhttp get\nMQTT connect\nlorawan join\nkernel: oops\n");
        assertEquals("LoRa uplink\nMQTT connect\nlorawan join", tail.read("messages", 10, "lora|mqtt").text());
        assertEquals("LoRa uplink\nlorawan join", tail.read("messages", 10, "^LORA(wan)?[[:space:]]").text());
        assertEquals("MQTT connect\nlorawan join", tail.read("messages", 2, "lora|mqtt").text());
    }

    @Test
    void filterMatchingFewLinesDeepInALargeFile() throws IOException {
        StringBuilder text = new StringBuilder("first lora line\nsecond LORA line\n");
        for (int i = 0; i < 100_000; i++) {
            text.append("noise ").append(i).append('\n');
        }
        write("messages", text.toString()); // about 1.2 MB: many blocks
        assertEquals(new LogTail.Result("first lora line\nsecond LORA line", null),
                tail.read("messages", 5, "lora"));
    }

    @Test
    void linesAcrossBlockBoundariesComeBackExactly() throws IOException {
        Random random = new Random(42);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5000; i++) { // lengths from 0 to 300: newlines land everywhere in the 64 KiB blocks
            lines.add(i + ":" + "x".repeat(random.nextInt(300)));
        }
        write("messages", String.join("\n", lines) + "\n");
        assertEquals(String.join("\n", lines.subList(4000, 5000)), tail.read("messages", 1000, null).text());
    }

    @Test
    void linesOutOfRange() throws IOException {
        write("messages", "one\n");
        String expected = "'lines' must be a whole number from 1 to " + MAX_LINES;
        assertEquals(expected, error("messages", 0, null));
        assertEquals(expected, error("messages", -1, null));
        assertEquals(expected, error("messages", MAX_LINES + 1, null));
        assertEquals("one", tail.read("messages", MAX_LINES, null).text());
    }

    @Test
    void badFilters() throws IOException {
        write("messages", "one\n");
        String invalid = error("messages", 10, "(a+");
        assertEquals("'filter' \"(a+\" is not a valid regular expression: missing closing )", invalid);
        assertTrue(error("messages", 10, "a".repeat(1001)).contains("longer than 1000"));
        // Would take gigabytes to compile: rejected before RE2/J builds it.
        assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> assertTrue(error("messages", 10, "((a{1000}){1000}){1000}").contains("too complex")));
        assertTrue(error("messages", 10, "(.{0,100}){100}x").contains("too complex"));
        assertEquals("one", tail.read("messages", 10, "\\d{4}-\\d{2}|one").text());
    }

    @Test
    void catastrophicBacktrackingPatternIsLinear() throws IOException {
        write("messages", "a".repeat(100_000) + "!\naaa\n");
        long start = System.nanoTime();
        LogTail.Result result = assertTimeoutPreemptively(Duration.ofSeconds(1),
                () -> tail.read("messages", 10, "(a+)+$"));
        System.out.printf("(a+)+$ over a 100,000-char line: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertEquals(new LogTail.Result("aaa", null), result);
    }

    /** 1 GiB, all holes but for a few lines at the very end. */
    private Path sparseGigabyte(String name, String end) throws IOException {
        Path file = logDir.resolve(name);
        byte[] bytes = end.getBytes(StandardCharsets.UTF_8);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(1L << 30);
            raf.seek((1L << 30) - bytes.length);
            raf.write(bytes);
        }
        return file;
    }

    @Test
    void gigabyteFileIsReadFromItsEnd() throws IOException {
        sparseGigabyte("big.log", "\nfirst lora\nsecond\nthird LoRa\n");
        long start = System.nanoTime();
        LogTail.Result last = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> tail.read("big.log", 2, null));
        long lastMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(new LogTail.Result("second\nthird LoRa", null), last);
        assertEquals("first lora\nthird LoRa", tail.read("big.log", 2, "lora").text());

        start = System.nanoTime();
        LogTail.Result none = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> tail.read("big.log", 10, "no such thing"));
        long noneMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(new LogTail.Result("", "searched only the last 64 MiB of 1024 MiB"), none);
        System.out.printf("1 GiB sparse file: last lines %d ms, filter matching nothing %d ms%n", lastMs, noneMs);
    }

    @Test
    void scanStopsAtExactlyMaxScanBytes() throws IOException {
        write("messages", "lora early\n" + "x\n".repeat(100)); // 211 bytes: "lora" is 11 bytes beyond the last 200
        LogTail near = new LogTail(logDir, 10, 1000, 200, Duration.ofSeconds(10));
        assertEquals(new LogTail.Result("", "searched only the last 200 bytes of 211 bytes"),
                near.read("messages", 10, "lora"));
        assertEquals("x\nx", near.read("messages", 2, null).text());
    }

    @Test
    void deadlineStopsTheSearch() throws IOException {
        sparseGigabyte("big.log", "\nlast\n");
        LogTail quick = new LogTail(logDir, 10, 64 * 1024, Long.MAX_VALUE, Duration.ofMillis(20));
        LogTail.Result result = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> quick.read("big.log", 10, "no such thing"));
        assertEquals("", result.text());
        assertTrue(result.note().startsWith("stopped at the time limit of 20 ms, having searched the last "),
                result.note());
    }

    @Test
    void lineWithoutNewlineIsCutToItsEnd() throws IOException {
        write("noeol.log", "x".repeat(5_000_000 - 7) + "THE END");
        LogTail small = new LogTail(logDir, 10, 64 * 1024, SCAN, Duration.ofSeconds(10));
        LogTail.Result result = small.read("noeol.log", 10, null);
        assertEquals(64 * 1024, result.text().length());
        assertTrue(result.text().endsWith("xTHE END"));
        assertEquals("1 line longer than 65536 bytes cut to its last 65536 bytes", result.note());
    }

    @Test
    void answerCutToMaxBytesCountsLeftOutLines() throws IOException {
        // 100 lines of 100 bytes; 1000 bytes hold 9 of them with their 8 joining newlines.
        write("messages", IntStream.rangeClosed(1, 100).mapToObj(i -> String.format("%03d", i) + "y".repeat(97))
                .collect(Collectors.joining("\n")) + "\n");
        LogTail small = new LogTail(logDir, 100, 1000, SCAN, Duration.ofSeconds(10));
        LogTail.Result result = small.read("messages", 50, null);
        List<String> lines = List.of(result.text().split("\n"));
        assertEquals(9, lines.size());
        assertTrue(lines.get(0).startsWith("092") && lines.get(8).startsWith("100"), result.text());
        assertTrue(result.text().getBytes(StandardCharsets.UTF_8).length <= 1000);
        assertEquals("answer limited to 1000 bytes: left out 41 older lines", result.note());
    }

    @Test
    void crlfLineEndsAndMalformedUtf8() throws IOException {
        write("dos.log", "first\r\nsecond lora\r\nthird\r\n");
        assertEquals("first\nsecond lora\nthird", tail.read("dos.log", 10, null).text());
        assertEquals("second lora", tail.read("dos.log", 10, "lora$").text());
        byte[] bytes = {'o', 'k', (byte) 0xff, '\n', (byte) 0xc3, (byte) 0xa9, '\n'}; // a bad byte, then "é"
        Files.write(logDir.resolve("bin.log"), bytes);
        assertEquals("ok\uFFFD\n\u00e9", tail.read("bin.log", 10, null).text());
    }

    @Test
    void malformedBytesGrowingInDecodingStillFitTheAnswer() throws IOException {
        byte[] garbage = new byte[500];
        Arrays.fill(garbage, (byte) 0xff); // each decodes to U+FFFD, 3 bytes in UTF-8
        Files.write(logDir.resolve("bin.log"), garbage);
        LogTail small = new LogTail(logDir, 10, 100, SCAN, Duration.ofSeconds(10));
        LogTail.Result result = small.read("bin.log", 10, null);
        assertEquals("\uFFFD".repeat(33), result.text());
        assertEquals("1 line longer than 100 bytes cut to its last 100 bytes", result.note());
    }

    @Test
    void servesConcurrentRequests() throws Exception {
        for (int i = 0; i < 8; i++) {
            write("f" + i, numbered(1, 20_000) + "\nfile " + i + "\n");
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 8; i++) {
                    String name = "f" + i;
                    answers.add(pool.submit(() -> tail.read(name, 3, "file|line 1999[89]").text()));
                }
            }
            for (int k = 0; k < answers.size(); k++) {
                assertEquals("line 19998\nline 19999\nfile " + k % 8, answers.get(k).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
