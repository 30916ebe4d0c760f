package io.camelappconnect.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.store.MessageStore.Kept;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.store.StoredMessages.drain;
import static io.camelappconnect.store.StoredMessages.kept;
import static io.camelappconnect.store.StoredMessages.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7 at the level of the files: order, restart, bounds, what a lost connection puts in front; the disk's
 * own faults are {@link MessageStoreFaultsTest}'s.
 */
@Tag("step")
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class MessageStoreTest {

    @TempDir
    Path dir;

    @Test
    void messagesComeBackInOrderWithTopicQosAndRetainAfterARestart() {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            for (int i = 0; i < 2500; i++) {
                store.append(kept("t/" + i, "m" + i, i % 2 == 0));
            }
        }
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            assertEquals(2500, store.size());
            List<String> seen = drain(store);
            assertEquals(2500, seen.size());
            for (int i = 0; i < 2500; i++) {
                assertEquals("t/" + i + " m" + i + " qos1 retained=" + (i % 2 == 0), seen.get(i));
            }
        }
        assertEquals(0, new MessageStore("cloud", dir, 100_000, 64 << 20, -1).size(), "what was sent is forgotten");
    }

    @Test
    void aMessageSentIsNotSentAgainAfterARestartWhenMoreWereKeptAfterIt() {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            store.append(kept("t", "init", true));
            store.remove(store.peek());
            assertNull(store.peek());
            assertTrue(store.headSent());
            long sent = store.headId();
            store.append(kept("t", "during the outage", false)); // before the broker acknowledged "init"
            store.forget(sent); // acknowledged now
        }
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            assertEquals(List.of("t during the outage qos1 retained=false"), drain(store));
        }
    }

    @Test
    void messagesTakenAndNotTakenByThePeerAreReadAgainWithNothingWritten() {
        try (MessageStore store = new MessageStore("server", dir, 100_000, 64 << 20, -1)) {
            for (int i = 0; i < 5; i++) {
                store.append(kept("t/" + i, "m" + i, false));
            }
            long head = store.headId();
            store.remove(store.peek()); // the peer took the first
            List<MessageStore.Kept> taken = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MessageStore.Kept k = store.peek();
                store.remove(k);
                taken.add(k);
            }
            store.peek(); // looked at, not taken
            store.unread(head, taken); // the peer did not take these

            assertEquals(4, store.size());
            assertEquals(5, store.written(), "nothing written again");
            assertEquals(List.of("t/1 m1 qos1 retained=false", "t/2 m2 qos1 retained=false",
                    "t/3 m3 qos1 retained=false", "t/4 m4 qos1 retained=false"), drain(store));
        }
    }

    @Test
    void forgettingASentFileLeavesWhatALostConnectionPutInFrontOfIt() {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            store.append(kept("t", "sent", false));
            store.remove(store.peek());
            long sent = store.headId();
            store.prepend(List.of(kept("t", "unacknowledged", false))); // the connection went meanwhile
            store.forget(sent); // the broker acknowledged "sent" (or it was kept again)
            assertEquals(1, store.size());
        }
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            assertEquals(List.of("t unacknowledged qos1 retained=false"), drain(store));
        }
    }

    @Test
    void aFileAllSentStaysUntilAcknowledgedSoAKillDoesNotLoseIt() {
        try (MessageStore store = new MessageStore("cloud", dir, 100, 64 << 20, -1)) { // one message a file
            store.append(kept("t", "a", false));
            store.remove(store.peek()); // on the wire, no PUBACK yet
        } // kill -9 here
        try (MessageStore store = new MessageStore("cloud", dir, 100, 64 << 20, -1)) {
            assertEquals(List.of("t a qos1 retained=false"), drain(store));
        }
    }

    @Test
    void anotherProcessCannotUseTheSameStore() {
        try (MessageStore store = new MessageStore("cloud", dir, 100, 64 << 20, -1)) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> new MessageStore("cloud", dir, 100, 64 << 20, -1));
            assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
        }
    }

    @Test
    void anInterruptedThreadDoesNotBreakTheStore() {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            Thread.currentThread().interrupt(); // as a worker's shutdownNow does mid-publish
            store.append(kept("t", "1", false));
            assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
            store.append(kept("t", "2", false));
            assertEquals(List.of("t 1 qos1 retained=false", "t 2 qos1 retained=false"), drain(store));
        }
    }

    @Test
    void whenFullTheOldestAreDroppedAndCounted() {
        try (MessageStore store = new MessageStore("cloud", dir, 1000, 64 << 20, -1)) {
            for (int i = 0; i < 1500; i++) {
                store.append(kept("t", "m" + i, false));
            }
            assertEquals(1000, store.size());
            assertEquals(500, store.dropped());
            assertEquals("t m500 qos1 retained=false", text(store.peek()));
        }
    }

    @Test
    void theByteBoundHoldsToo() {
        byte[] kib = new byte[1024];
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 1 << 20, -1)) {
            for (int i = 0; i < 3000; i++) {
                store.append(new Kept("t", kib, 1, false));
            }
            assertTrue(store.bytes() <= 1 << 20, store.bytes() + " bytes");
            assertTrue(store.size() > 900, store.size() + " kept");
            assertEquals(3000, store.size() + store.dropped());
        }
    }

    @Test
    void unacknowledgedMessagesGoBeforeEverythingKeptEvenWhileOneIsBeingSent() {
        try (MessageStore store = new MessageStore("cloud", dir, 100_000, 64 << 20, -1)) {
            store.append(kept("t", "3", false));
            store.append(kept("t", "4", false));
            Kept sending = store.peek();
            store.prepend(List.of(kept("t", "1", false), kept("t", "2", false)));
            store.remove(sending); // sent meanwhile: forgotten where it was, not at the new head
            List<String> seen = drain(store);
            assertEquals(List.of("t 1 qos1 retained=false", "t 2 qos1 retained=false", "t 4 qos1 retained=false"), seen);
        }
    }
}
