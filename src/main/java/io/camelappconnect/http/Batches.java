package io.camelappconnect.http;

import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import io.camelappconnect.http.ServerQueue.Pending;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;

/**
 * Which messages go to the web server in one request (behaviour.md 9): up to 10 uplinks of up to 700 bytes each as a
 * batch, anything else (a join, a bigger uplink, init, close) alone. Apart from {@link ServerQueue}, which decides
 * where they are taken from (memory, the store, or what the disk could not take).
 */
final class Batches {

    static final int BATCH = 10;
    static final int ALONE_BYTES = 700;

    private Batches() {
    }

    /** The oldest kept messages that go in one request: a batch of uplinks, or one message. */
    static List<Kept> takeFrom(MessageStore store) {
        List<Kept> batch = new ArrayList<>();
        for (Kept next = peek(store, batch); next != null; next = peek(store, batch)) {
            if (!batch.isEmpty() && !(batchable(batch.get(0)) && batchable(next))) {
                break;
            }
            store.remove(next);
            batch.add(next);
            if (batch.size() == BATCH) {
                break;
            }
        }
        return batch;
    }

    /**
     * The next kept message, null when none is left.
     *
     * @throws UncheckedIOException when the store can't be read now and {@code batch} is empty (else what it holds goes)
     */
    private static Kept peek(MessageStore store, List<Kept> batch) {
        try {
            return store.peek();
        } catch (UncheckedIOException e) {
            if (batch.isEmpty()) {
                throw e;
            }
            return null;
        }
    }

    /** The oldest messages in {@code queue} that go in one request. */
    static List<Pending> takeFrom(ArrayDeque<Pending> queue) {
        List<Pending> batch = new ArrayList<>();
        batch.add(queue.pollFirst());
        while (batch.size() < BATCH && !queue.isEmpty() && batchable(batch.get(0).message())
                && batchable(queue.peekFirst().message())) {
            batch.add(queue.pollFirst());
        }
        return batch;
    }

    /** Puts {@code rest}, taken from {@code queue} and not posted, back in front of it, in its order. */
    static void putBack(ArrayDeque<Pending> queue, List<Pending> rest) {
        for (int i = rest.size() - 1; i >= 0; i--) {
            queue.addFirst(rest.get(i));
        }
    }

    private static boolean batchable(Kept message) {
        return message.topic().endsWith("/up") && message.payload().length <= ALONE_BYTES;
    }
}
