package io.camelappconnect.http;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelappconnect.http.ServerQueue.Pending;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;

/**
 * What waits in memory only for {@link ServerQueue}'s server while it answers: older than anything kept on disk since.
 * Guarded by its queue's lock: every call is made holding it.
 */
final class WaitingInMemory {

    /** Messages waiting in memory for a slow server before the next ones go to disk (what bounds the memory). */
    private static final int MAX_IN_MEMORY = 1000;

    private final MessageStore store;
    private final ArrayDeque<Pending> memory = new ArrayDeque<>();

    WaitingInMemory(MessageStore store) {
        this.store = store;
    }

    boolean isEmpty() {
        return memory.isEmpty();
    }

    boolean full() {
        return memory.size() >= MAX_IN_MEMORY;
    }

    /** @return completed once the server or the disk took it */
    CompletableFuture<Void> add(Kept message) {
        CompletableFuture<Void> safe = new CompletableFuture<>();
        memory.addLast(new Pending(message, safe));
        return safe;
    }

    /** The oldest waiting messages that go in one request. */
    List<Pending> take() {
        return Batches.takeFrom(memory);
    }

    /**
     * After a failed post of what {@link #take()} gave: the rest of the batch, then what waits in memory, go to the
     * disk ahead of what may be kept already (newer: it came while memory was full). It returns what is safe: the
     * first {@code done}, which the server took, and what the disk took.
     */
    List<Pending> failed(List<Pending> batch, int done) {
        Batches.putBack(memory, batch.subList(done, batch.size()));
        List<Pending> safe = new ArrayList<>(batch.subList(0, done));
        safe.addAll(keepOnDisk());
        return safe;
    }

    /**
     * Moves what waits in memory to the disk, ahead of what is kept there already (newer: it came while memory was
     * full); the caller completes the futures it returns once it let go of the lock.
     */
    List<Pending> keepOnDisk() {
        List<Pending> kept = new ArrayList<>(memory);
        if (!kept.isEmpty()) {
            try {
                store.prepend(kept.stream().map(Pending::message).toList());
            } catch (UncheckedIOException e) { // they wait in memory, not safe, ahead of the rest: posted first
                return new ArrayList<>();
            }
        }
        memory.clear();
        return kept;
    }
}
