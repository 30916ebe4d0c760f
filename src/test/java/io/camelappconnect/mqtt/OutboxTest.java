package io.camelappconnect.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;
import io.camelappconnect.support.LogCapture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7: a kept file is deleted only once the broker acknowledged all of it, whichever drain sent it; what a
 * refusing disk can't take waits in memory, bounded.
 */
@Tag("step")
class OutboxTest {

    @TempDir
    Path dir;

    @Test
    void aFileAnEarlierDrainSentIsDeletedOnlyOnceTheBrokerAcknowledgedIt() {
        List<String> left;
        try (MessageStore store = new MessageStore("cloud", dir, 100, 64 << 20, -1)) { // a message a file
            Outbox outbox = new Outbox("cloud", store, f -> f.complete(null));
            Wire wire = new Wire();
            outbox.keep(kept("a"));
            outbox.drain(wire); // a is on the wire, its PUBACK not in yet
            outbox.keep(kept("b")); // the connection went and came back meanwhile: b kept, in a file of its own

            outbox.drain(wire); // finds a's file at the head

            assertEquals(List.of("a", "b"), wire.sent);
            assertEquals(1, wire.awaited.size(), "a's file waited for");
            assertFalse(wire.awaited.get(0).isEmpty(), "for a's acknowledgement, not for nothing");
            wire.acknowledged.get(0).complete(null); // a's PUBACK; b's never comes (a kill -9 now)
        }
        try (MessageStore store = new MessageStore("cloud", dir, 100, 64 << 20, -1)) {
            left = new ArrayList<>();
            for (Kept k; (k = store.peek()) != null; store.remove(k)) {
                left.add(new String(k.payload(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(List.of("b"), left, "a deleted once acknowledged, b kept until it is");
    }

    /** Issue 20, finding 3: held in memory, not acknowledged, up to the bound; then each is nowhere safe, said once. */
    @Test
    void whatMemoryCanNotHoldForADiskThatRefusesItIsNowhereSafeWithOneWarn() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("store"), "");
        try (MessageStore store = new MessageStore("cloud", notADirectory, 100, 64 << 20, -1);
             LogCapture log = LogCapture.capture()) {
            Outbox outbox = new Outbox("cloud", store, f -> f.complete(null));
            List<CompletableFuture<Void>> held = new ArrayList<>();
            for (int i = 0; i < MessageStore.MAX_HELD; i++) {
                held.add(outbox.keep(kept("m" + i)));
            }
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "held in memory: not safe, not acknowledged");
            for (int i = 0; i < 3; i++) {
                assertThrows(NowhereSafe.class, () -> outbox.keep(kept("one more")));
            }
            assertEquals(1, log.warnings().stream().filter(w -> w.contains("left unacknowledged with its sender")).count(),
                    log.warnings().toString());
            assertEquals(MessageStore.MAX_HELD, outbox.size());
        }
    }

    private static Kept kept(String payload) {
        return new Kept("t", payload.getBytes(StandardCharsets.UTF_8), 1, false);
    }

    /** A connection whose PUBACKs the test gives. */
    private static final class Wire implements Outbox.Sender {
        final List<String> sent = new ArrayList<>();
        final List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
        final List<List<CompletableFuture<Void>>> awaited = new ArrayList<>();

        @Override
        public CompletableFuture<Void> send(Kept message) {
            sent.add(new String(message.payload(), StandardCharsets.UTF_8));
            CompletableFuture<Void> ack = new CompletableFuture<>();
            acknowledged.add(ack);
            return ack;
        }

        @Override
        public void awaitAcknowledged(List<CompletableFuture<Void>> sent) {
            awaited.add(List.copyOf(sent));
            sent.forEach(f -> f.complete(null)); // the PUBACKs come while it waits
        }

        @Override
        public boolean connected() {
            return true;
        }
    }
}
