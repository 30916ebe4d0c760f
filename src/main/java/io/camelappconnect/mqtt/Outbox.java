package io.camelappconnect.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelappconnect.mqtt.MessageStore.Kept;
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
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

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

    private final String name;
    private final MessageStore store;
    private boolean draining;
    private boolean keeping;
    private long droppedReported;
    /** The file the last drain ended on, all sent, and when the broker will have acknowledged all of it. */
    private long lastFile = -1;
    private CompletableFuture<Void> lastFileAcknowledged;

    Outbox(String name, MessageStore store) {
        this.name = name;
        this.store = store;
    }

    /** Keeps the message unless the caller may send it at once: connected, nothing kept, no drain under way. */
    synchronized boolean keepUnlessFree(Kept message, boolean connected) {
        if (connected && store.size() == 0 && !draining) {
            return false;
        }
        keep(message);
        return true;
    }

    /** Keeps it behind everything kept (the oldest go when the store is full). */
    synchronized void keep(Kept message) {
        if (!keeping) {
            keeping = true;
            LOG.info("{}: not connected: keeping messages on disk (store.dir) until the broker takes them", name);
        }
        store.append(message);
    }

    /** Keeps these ahead of everything: what was sent but not acknowledged when the connection went. */
    synchronized void keepFirst(List<Kept> unacknowledged) {
        if (!unacknowledged.isEmpty()) {
            LOG.info("{}: {} messages sent but not acknowledged when the connection went: kept, sent again first", name,
                    unacknowledged.size());
            store.prepend(unacknowledged);
        }
    }

    /**
     * Sends what is kept, oldest first, until all of it is on the wire or the connection fails again (what is left
     * waits for the next connect). A file is deleted once the broker acknowledged all of it, so a kill -9 loses
     * nothing; the drain ends as soon as the last kept message is sent, without waiting for that (live messages
     * then go straight out behind it, and are not written to the store). Runs on the connection's own thread, never
     * the client's: a send may wait for room on the wire.
     */
    void drain(Sender sender) {
        int kept;
        synchronized (this) {
            if (draining) {
                return;
            }
            draining = true;
            kept = store.size();
            if (store.dropped() > droppedReported) {
                LOG.warn("{}: {} messages were dropped while the broker was away (store full)", name,
                        store.dropped() - droppedReported);
                droppedReported = store.dropped();
            }
        }
        if (kept > 0) {
            LOG.info("{}: sending {} kept messages", name, kept);
        }
        long start = System.nanoTime();
        int sent = 0;
        List<CompletableFuture<Void>> onTheWire = new ArrayList<>(); // from the oldest file, not yet acknowledged
        while (true) {
            Kept next = null;
            long file;
            try {
                synchronized (this) {
                    file = store.headId();
                    if (store.size() == 0) { // all of it is on the wire
                        draining = false;
                        keeping = false;
                        forgetWhenAcknowledged(file, onTheWire);
                        if (sent > 0) {
                            LOG.info("{}: {} kept messages sent in {} ms", name, sent,
                                    (System.nanoTime() - start) / 1_000_000);
                        }
                        return;
                    }
                    next = store.headSent() ? null : store.peek();
                }
                if (next == null) { // the oldest file is all sent: on to the next once the broker has this one
                    List<CompletableFuture<Void>> awaited = onTheWire;
                    synchronized (this) {
                        if (onTheWire.isEmpty() && file == lastFile) { // the last drain sent it all
                            awaited = List.of(lastFileAcknowledged);
                        }
                    }
                    sender.awaitAcknowledged(awaited);
                    onTheWire.clear();
                    synchronized (this) {
                        store.forget(file);
                    }
                    continue;
                }
                onTheWire.add(sender.send(next));
            } catch (Exception e) {
                if (next != null && sender.connected()) {
                    // the broker is there: this one message can't be sent (a topic MQTT does not allow), not the rest
                    LOG.warn("{}: a kept message for {} can't be sent, dropped: {}", name, next.topic(),
                            Causes.describe(e));
                    synchronized (this) {
                        store.remove(next);
                    }
                    continue;
                } else {
                    synchronized (this) {
                        draining = false;
                    }
                    LOG.warn("{}: {} kept messages wait for the next connect: {}", name, size(), Causes.describe(e));
                    return;
                }
            }
            sent++;
            synchronized (this) {
                store.remove(next);
            }
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
            synchronized (this) {
                store.forget(file);
            }
        });
    }

    synchronized int size() {
        return store.size();
    }

    synchronized long written() {
        return store.written();
    }

    synchronized long dropped() {
        return store.dropped();
    }

    /** Writes what was kept through to the disk, if not synced since (store.syncMs). */
    synchronized void sync() {
        store.sync();
    }

    synchronized void close() {
        store.close();
    }
}
