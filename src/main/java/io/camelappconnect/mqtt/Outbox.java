package io.camelappconnect.mqtt;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages for a broker that can't take them now, kept on disk ({@link MessageStore}) in order and sent first when
 * it is back. Nothing is written while the broker takes messages as they come: only while it is away, or while
 * what was kept meanwhile is being sent.
 * <p>
 * "Send now or keep" and "the drain is done" are decided under one lock, so a message is either sent directly, with
 * nothing kept ahead of it, or kept and sent by the drain: nothing overtakes what was kept, and nothing is stranded
 * behind a drain that just ended (Paho's own buffer lost messages both ways).
 * <p>
 * A message the store can't take (disk full, read-only, EIO) is held in memory, in its place in the order, and is
 * not safe: its future completes only once the broker acknowledged it or the disk took it after all (tried again
 * every {@link MessageStore#HEAL_MS} while messages come, and at every {@link #sync}). So the LNS acknowledgement waits, and its
 * broker's in-flight window bounds how many are held; a kill loses none, the LNS broker sends them again.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final CompletableFuture<Void> SAFE = CompletableFuture.completedFuture(null);

    /** A message the store did not take, and its future, completed once the broker or the disk has it. */
    record Held(Kept message, CompletableFuture<Void> safe) {
    }

    /** The connection the kept messages go out on. */
    interface Sender {
        /**
         * Sends one message (may wait for room on the wire); throws when the connection went meanwhile.
         *
         * @return completes once the broker acknowledged it, or the lost connection kept it again
         */
        CompletableFuture<Void> send(Kept message) throws Exception;

        /** Waits until these are acknowledged; throws if the connection goes first (it keeps what it had). */
        void awaitAcknowledged(List<CompletableFuture<Void>> sent) throws Exception;

        boolean connected();
    }

    final String name;
    final MessageStore store;
    /** Completes a future off the client's event loop (the route goes on there). */
    final Consumer<CompletableFuture<Void>> complete;
    /** Ahead of everything in the store: what was in flight when a connection went, and the disk did not take. */
    final ArrayDeque<Held> heldFirst = new ArrayDeque<>();
    /** Behind everything in the store: while it is not empty, what comes goes here too, in order. */
    final ArrayDeque<Held> heldLast = new ArrayDeque<>();
    long heldBytes;
    private final NowhereSafe.Bound heldBound;
    private final OutboxDrain drain = new OutboxDrain(this);
    private long lastHeal;
    boolean draining;
    boolean keeping;

    Outbox(String name, MessageStore store, Consumer<CompletableFuture<Void>> complete) {
        this.name = name;
        this.store = store;
        this.complete = complete;
        this.heldBound = new NowhereSafe.Bound(name);
    }

    /**
     * Keeps the message unless the caller may send it at once: connected, nothing kept, no drain under way.
     *
     * @return null when the caller sends it; else as {@link #keep}
     */
    synchronized CompletableFuture<Void> keepUnlessFree(Kept message, boolean connected) {
        if (connected && size() == 0 && !draining) {
            return null;
        }
        return keep(message);
    }

    /**
     * Keeps it behind everything kept (the oldest go when the store is full).
     *
     * @return completed when it is on disk; else it is held in memory and completes once it is sent and
     *         acknowledged, or on disk after all
     * @throws NowhereSafe when the disk can't take it and memory holds {@link MessageStore#MAX_HELD} already
     */
    synchronized CompletableFuture<Void> keep(Kept message) {
        if (!keeping) {
            keeping = true;
            LOG.info("{}: not connected: keeping messages on disk (store.dir) until the broker takes them", name);
        }
        heal(false);
        if (heldLast.isEmpty() && store.tryAppend(message)) {
            return SAFE;
        }
        int bytes = message.payload().length;
        heldBound.check(heldFirst.size() + heldLast.size(), heldBytes, bytes, store.fault());
        Held held = new Held(message, new CompletableFuture<>());
        heldLast.addLast(held);
        heldBytes += bytes;
        return held.safe;
    }

    /**
     * Keeps these ahead of everything: what was sent but not acknowledged when the connection went.
     *
     * @param safe their futures, in the same order
     * @return true when they are on disk (the caller completes their futures); false when they are held in memory
     *         instead, and their futures complete once the broker acknowledged them, or the disk took them
     */
    synchronized boolean keepFirst(List<Kept> unacknowledged, List<CompletableFuture<Void>> safe) {
        if (unacknowledged.isEmpty()) {
            return true;
        }
        LOG.info("{}: {} messages sent but not acknowledged when the connection went: kept, sent again first", name,
                unacknowledged.size());
        if (heldFirst.isEmpty()) { // else they go ahead of those, in memory
            try {
                store.prepend(unacknowledged);
                return true;
            } catch (UncheckedIOException e) {
                // the store says why in its fault
            }
        }
        for (int i = unacknowledged.size() - 1; i >= 0; i--) {
            heldFirst.addFirst(new Held(unacknowledged.get(i), safe.get(i)));
            heldBytes += unacknowledged.get(i).payload().length;
        }
        return false;
    }

    /**
     * While the store can't be written, at most every {@link MessageStore#HEAL_MS} (or now, when {@code now}): moves what memory
     * holds to it (not while a drain sends it), or, with nothing held, tries a small write.
     */
    private void heal(boolean now) {
        if (store.fault() == null && heldFirst.isEmpty() && heldLast.isEmpty() || draining) {
            return;
        }
        long at = System.nanoTime();
        if (!now && at - lastHeal < TimeUnit.MILLISECONDS.toNanos(MessageStore.HEAL_MS)) {
            return;
        }
        lastHeal = at;
        if (heldFirst.isEmpty() && heldLast.isEmpty()) {
            store.heal();
            return;
        }
        try {
            store.prepend(heldFirst.stream().map(Held::message).toList());
            while (!heldFirst.isEmpty()) {
                onDisk(heldFirst.pollFirst());
            }
            while (!heldLast.isEmpty()) {
                store.append(heldLast.peekFirst().message);
                onDisk(heldLast.pollFirst());
            }
            LOG.info("{}: what waited in memory for the disk is kept on it now", name);
        } catch (UncheckedIOException e) {
            // still not writable: the store says why in its fault
        }
    }

    private void onDisk(Held held) {
        heldBytes -= held.message.payload().length;
        complete.accept(held.safe);
    }

    /** Why the store can't be written or read now, naming store.dir; null while it can. */
    String fault() {
        return store.fault();
    }

    /**
     * Sends what is kept, oldest first, until all of it is on the wire or the connection fails again (what is left
     * waits for the next connect). A file is deleted once the broker acknowledged all of it, so a kill -9 loses
     * nothing; the drain ends as soon as the last kept message is sent, without waiting for that (live messages
     * then go straight out behind it, and are not written to the store). Runs on the connection's own thread, never
     * the client's: a send may wait for room on the wire.
     */
    void drain(Sender sender) {
        drain.run(sender);
    }

    /** Kept on disk, and held in memory for a disk that can't take them. */
    synchronized int size() {
        return store.size() + heldFirst.size() + heldLast.size();
    }

    synchronized long written() {
        return store.written();
    }

    synchronized long dropped() {
        return store.dropped();
    }

    /** Writes what was kept through to the disk, if not synced since (store.syncMs); tries a failed disk again. */
    synchronized void sync() {
        store.sync();
        heal(false);
    }

    /** What memory holds goes to the disk if it can; if not, it was not acknowledged and its sender sends it again. */
    synchronized void close() {
        heal(true);
        store.close();
    }
}
