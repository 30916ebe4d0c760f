package io.camelappconnect.mqtt;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.mqtt.Outbox.Held;
import io.camelappconnect.mqtt.Outbox.Sender;
import io.camelappconnect.store.MessageStore.Kept;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Outbox}'s drain: what was kept goes out, oldest first, and a file is deleted only once the broker
 * acknowledged all of it. Its own class because sending what was kept is apart from keeping it; it takes the outbox's
 * lock for every step that reads or changes what is kept, as it did inside it.
 */
final class OutboxDrain {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class); // its lines are the outbox's
    /** A drain whose store can't be read now tries again after this. */
    private static final long READ_RETRY_MS = 1_000;

    private final Outbox outbox;
    private long droppedReported;
    /** The file the last drain ended on, all sent, and when the broker will have acknowledged all of it. */
    private long lastFile = -1;
    private CompletableFuture<Void> lastFileAcknowledged;

    OutboxDrain(Outbox outbox) {
        this.outbox = outbox;
    }

    /**
     * Sends what is kept, oldest first, until all of it is on the wire or the connection fails again (what is left
     * waits for the next connect). A file is deleted once the broker acknowledged all of it, so a kill -9 loses
     * nothing; the drain ends as soon as the last kept message is sent, without waiting for that (live messages
     * then go straight out behind it, and are not written to the store). Runs on the connection's own thread, never
     * the client's: a send may wait for room on the wire.
     */
    void run(Sender sender) {
        int kept;
        synchronized (outbox) {
            if (outbox.draining) {
                return;
            }
            outbox.draining = true;
            kept = outbox.store.size();
            if (outbox.store.dropped() > droppedReported) {
                LOG.warn("{}: {} messages were dropped while the broker was away (store full)", outbox.name,
                        outbox.store.dropped() - droppedReported);
                droppedReported = outbox.store.dropped();
            }
        }
        if (kept > 0) {
            LOG.info("{}: sending {} kept messages", outbox.name, kept);
        }
        long start = System.nanoTime();
        int sent = 0;
        List<CompletableFuture<Void>> onTheWire = new ArrayList<>(); // from the oldest file, not yet acknowledged
        while (true) {
            Kept next = null;
            Held held = null;
            boolean first = false;
            long file;
            try {
                synchronized (outbox) {
                    file = outbox.store.headId();
                    // held in memory, in their place: ahead of the store, or behind it
                    if (!outbox.heldFirst.isEmpty()) {
                        held = outbox.heldFirst.pollFirst();
                        first = true;
                    } else if (outbox.store.size() == 0 && !outbox.heldLast.isEmpty()) {
                        held = outbox.heldLast.pollFirst();
                    } else if (outbox.store.size() == 0) { // all of it is on the wire
                        outbox.draining = false;
                        outbox.keeping = false;
                        forgetWhenAcknowledged(file, onTheWire);
                        if (sent > 0) {
                            LOG.info("{}: {} kept messages sent in {} ms", outbox.name, sent,
                                    (System.nanoTime() - start) / 1_000_000);
                        }
                        return;
                    } else {
                        next = outbox.store.headSent() ? null : outbox.store.peek();
                    }
                }
                if (held != null) {
                    send(sender, held);
                    sent++;
                    continue;
                }
                if (next == null) { // the oldest file is all sent: on to the next once the broker has this one
                    List<CompletableFuture<Void>> awaited = onTheWire;
                    synchronized (outbox) {
                        if (onTheWire.isEmpty() && file == lastFile) { // the last drain sent it all
                            awaited = List.of(lastFileAcknowledged);
                        }
                    }
                    sender.awaitAcknowledged(awaited);
                    onTheWire.clear();
                    synchronized (outbox) {
                        outbox.store.forget(file);
                    }
                    continue;
                }
                onTheWire.add(sender.send(next));
            } catch (Exception e) {
                if (held == null && next == null && sender.connected() && e instanceof UncheckedIOException) {
                    // the store can't be read now (EIO): its file is kept, read again in a while
                    if (pause(READ_RETRY_MS)) {
                        continue;
                    }
                } else if ((next != null || held != null) && sender.connected()) {
                    // the broker is there: this one message can't be sent (a topic MQTT does not allow), not the rest
                    LOG.warn("{}: a kept message for {} can't be sent, dropped: {}", outbox.name,
                            (next != null ? next : held.message()).topic(), Causes.describe(e));
                    synchronized (outbox) {
                        if (next != null) {
                            outbox.store.remove(next);
                        } else {
                            outbox.heldBytes -= held.message().payload().length;
                            outbox.complete.accept(held.safe()); // done with, as a message the client refuses
                        }
                    }
                    continue;
                }
                synchronized (outbox) {
                    if (held != null) { // not on the wire: back in its place
                        (first ? outbox.heldFirst : outbox.heldLast).addFirst(held);
                    }
                    outbox.draining = false;
                }
                LOG.warn("{}: {} kept messages wait for the next connect: {}", outbox.name, outbox.size(),
                        Causes.describe(e));
                return;
            }
            sent++;
            synchronized (outbox) {
                outbox.store.remove(next);
            }
        }
    }

    /** Sends a message held in memory: safe once the broker acknowledged it (or the loss kept it on disk). */
    private void send(Sender sender, Held held) throws Exception {
        sender.send(held.message()).thenRun(() -> held.safe().complete(null));
        synchronized (outbox) {
            outbox.heldBytes -= held.message().payload().length;
        }
    }

    /** @return false when interrupted (a stop) */
    private static boolean pause(long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Deletes the file once the broker has all of it (or a lost connection kept what it had not, in a new file). Until
     * then a drain that finds it at the head waits for the same acknowledgements.
     */
    private void forgetWhenAcknowledged(long file, List<CompletableFuture<Void>> onTheWire) {
        if (onTheWire.isEmpty()) {
            return; // nothing sent by this drain: a file at the head is an earlier drain's, forgotten by it
        }
        lastFile = file;
        lastFileAcknowledged = CompletableFuture.allOf(onTheWire.toArray(CompletableFuture[]::new));
        lastFileAcknowledged.thenRun(() -> {
            synchronized (outbox) {
                outbox.store.forget(file);
            }
        });
    }
}
