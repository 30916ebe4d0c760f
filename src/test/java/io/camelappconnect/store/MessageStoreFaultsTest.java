package io.camelappconnect.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelappconnect.store.MessageStore.Kept;
import io.camelappconnect.support.LogCapture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.store.StoredMessages.drain;
import static io.camelappconnect.store.StoredMessages.drainTopics;
import static io.camelappconnect.store.StoredMessages.kept;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7 and the disk's own faults (issue 20, findings 5 and 14): a bad file or record costs only itself, a
 * read that fails now (EIO, an interrupt) deletes nothing, a directory that can't be used is a fault, not a failed
 * start; a write that fails is a fault until one works.
 */
@Tag("step")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MessageStoreFaultsTest {

    @TempDir
    Path dir;

    @Test
    void aMessageCutShortByACrashIsDroppedAndTheRestKept() throws IOException {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            for (int i = 0; i < 10; i++) {
                store.append(kept("t", "m" + i, false));
            }
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.findFirst().orElseThrow();
        }
        long size = Files.size(file);
        try (var channel = Files.newByteChannel(file, StandardOpenOption.WRITE)) {
            channel.truncate(size - 3);
        }
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            assertEquals(9, store.size());
            store.append(kept("t", "after", false));
            List<String> seen = drain(store);
            assertEquals("t m8 qos1 retained=false", seen.get(8));
            assertEquals("t after qos1 retained=false", seen.get(9));
        }
    }

    @Test
    void aDirectoryNamedLikeAFileIsLeftAloneWithAWarnAndEverythingElseKept() throws IOException {
        try (MessageStore store = new MessageStore("cloud", dir, 300, 64 << 20, -1)) { // 3 messages a file
            for (int i = 0; i < 9; i++) {
                store.append(kept("t", "m" + i, false));
            }
        }
        Path bad = Files.createDirectory(dir.resolve("00000000999999999999.seg")); // sorts first
        try (LogCapture log = LogCapture.capture();
             MessageStore store = new MessageStore("cloud", dir, 300, 64 << 20, -1)) {
            assertEquals(9, store.size());
            assertTrue(log.warnings().stream().anyMatch(w -> w.contains(bad.toString()) && w.contains("left as it is")),
                    log.warnings().toString());
            store.append(kept("t", "after", false));
            List<String> seen = drain(store);
            assertEquals(10, seen.size());
            for (int i = 0; i < 9; i++) {
                assertEquals("t m" + i + " qos1 retained=false", seen.get(i));
            }
            assertEquals("t after qos1 retained=false", seen.get(9));
            assertNull(store.fault());
        }
        assertTrue(Files.isDirectory(bad), "not ours to delete");
    }

    @Test
    void aDamagedRecordInTheMiddleOfAFileCostsThatRecordOnly() throws IOException {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            for (int i = 0; i < 10; i++) {
                store.append(kept("t", "m" + i, false)); // 14 bytes each: length, CRC, flags, topic length, t, m, i
            }
        }
        Path file;
        try (var files = Files.list(dir).filter(p -> p.toString().endsWith(".seg"))) {
            file = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[3 * 14 + 12] ^= 0x40; // record 3: a bit of its body (bad CRC)
        bytes[6 * 14] = 0x7f; // record 6: its length (beyond the file)
        Files.write(file, bytes);
        try (LogCapture log = LogCapture.capture();
             MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            assertEquals(8, store.size());
            assertEquals(1, log.warnings().stream().filter(w -> w.contains(file.toString())).count(),
                    "one WARN for the file: " + log.warnings());
            assertEquals(List.of("t m0", "t m1", "t m2", "t m4", "t m5", "t m7", "t m8", "t m9"),
                    drain(store).stream().map(m -> m.substring(0, 4)).toList());
        }
    }

    @Test
    void aReadInterruptedByAStopKeepsTheFile() throws Exception {
        byte[] big = new byte[4 << 20]; // a read long enough for the interrupts to land in it
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            store.append(new Kept("t/1", big, 1, false));
            store.append(new Kept("t/2", big, 1, false));
            AtomicInteger interruptedReads = new AtomicInteger();
            Thread reader = new Thread(() -> {
                long end = System.nanoTime() + 20_000_000_000L;
                while (interruptedReads.get() < 20 && System.nanoTime() < end) {
                    try {
                        long head = store.headId();
                        Kept k = store.peek();
                        store.remove(k);
                        store.unread(head, List.of(k)); // read again next time
                    } catch (UncheckedIOException e) {
                        if (e.getCause() instanceof ClosedByInterruptException) {
                            interruptedReads.incrementAndGet();
                        }
                    }
                }
            });
            reader.start();
            while (reader.isAlive()) {
                reader.interrupt();
                Thread.onSpinWait();
            }
            assertEquals(20, interruptedReads.get(), "reads interrupted");
            assertEquals(2, store.size());
            assertNull(store.fault(), "a stop is not a fault");
            assertEquals(List.of("t/1", "t/2"), drainTopics(store));
        }
    }

    @Test
    void aFileThatCannotBeReadNowIsKeptAndReadLater() throws IOException {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            for (int i = 0; i < 3; i++) {
                store.append(kept("t", "m" + i, false));
            }
        }
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            Path file;
            try (var files = Files.list(dir).filter(p -> p.toString().endsWith(".seg"))) {
                file = files.findFirst().orElseThrow();
            }
            Path away = Files.move(file, dir.resolve("away")); // as an EIO: the file can't be read now
            UncheckedIOException e = assertThrows(UncheckedIOException.class, store::peek);
            assertTrue(store.fault().contains(file.toString()), store.fault());
            assertEquals(3, store.size());
            Files.move(away, file);
            assertEquals(List.of("t m0 qos1 retained=false", "t m1 qos1 retained=false", "t m2 qos1 retained=false"),
                    drain(store), e.getMessage());
            assertNull(store.fault());
        }
    }

    @Test
    void aStoreDirectoryThatCannotBeCreatedIsAFaultUntilItCanThenTheStoreWorks() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "");
        Path storeDir = notADirectory.resolve("store");
        try (MessageStore store = new MessageStore("cloud", storeDir, 100_000, 64 << 20, -1)) {
            assertTrue(store.fault().contains("store.dir") && store.fault().contains(storeDir.toString()),
                    store.fault());
            assertThrows(UncheckedIOException.class, () -> store.append(kept("t", "m0", false)));
            assertEquals(0, store.size());
            store.heal();
            assertNotNull(store.fault(), "still not writable");
            Files.delete(notADirectory);
            store.heal();
            assertNull(store.fault());
            store.append(kept("t", "m1", false));
            assertEquals(List.of("t m1 qos1 retained=false"), drain(store));
        }
    }

    @Test
    void aWriteThatFailsIsAFaultAndTheNextWriteThatWorksEndsIt() throws IOException {
        try (MessageStore store = new MessageStore("cloud", dir, 300, 64 << 20, -1)) { // 3 messages a file
            store.append(kept("t", "m0", false));
            Path segments = dir.resolve("00000001000000000001.seg"); // the next file's name, taken
            Files.createDirectory(segments);
            store.append(kept("t", "m1", false));
            store.append(kept("t", "m2", false));
            assertThrows(UncheckedIOException.class, () -> store.append(kept("t", "m3", false)));
            assertTrue(store.fault().contains(segments.toString()), store.fault());
            Files.delete(segments);
            store.append(kept("t", "m4", false));
            assertNull(store.fault());
            assertEquals(List.of("t m0", "t m1", "t m2", "t m4"),
                    drain(store).stream().map(m -> m.substring(0, 4)).toList());
        }
    }
}
