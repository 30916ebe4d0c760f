package io.camelappconnect.http;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.http.ServerQueue.Pending;
import io.camelappconnect.mqtt.NowhereSafe;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;

/**
 * What {@link ServerQueue}'s store could not take: newer than everything in it, held in memory, not safe, until the
 * server or the disk takes it. Guarded by its queue's lock: every call is made holding it.
 */
final class HeldForDisk {

    private final MessageStore store;
    private final ArrayDeque<Pending> held = new ArrayDeque<>();
    private long heldBytes;
    private final NowhereSafe.Bound heldBound;
    private long lastHeal;

    HeldForDisk(String name, MessageStore store) {
        this.heldBound = new NowhereSafe.Bound(name);
        this.store = store;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    int size() {
        return held.size();
    }

    /**
     * @return completed once the server or the disk took it
     * @throws NowhereSafe when memory holds as much as it may already
     */
    CompletableFuture<Void> add(Kept message) {
        heldBound.check(held.size(), heldBytes, message.payload().length, store.fault());
        Pending p = new Pending(message, new CompletableFuture<>());
        held.addLast(p);
        heldBytes += message.payload().length;
        return p.safe();
    }

    /** The oldest held messages that go in one request. */
    List<Pending> take() {
        return Batches.takeFrom(held);
    }

    /**
     * After a post of what {@link #take()} gave: the server took the first {@code done}, which it returns; the rest go
     * back in front of what is held, for the next try.
     */
    List<Pending> posted(List<Pending> batch, int done) {
        Batches.putBack(held, batch.subList(done, batch.size()));
        List<Pending> safe = new ArrayList<>(batch.subList(0, done));
        safe.forEach(p -> heldBytes -= p.message().payload().length);
        return safe;
    }

    /**
     * While the store can't be written, at most every {@link MessageStore#HEAL_MS}: moves what is held to it, or,
     * with nothing held, tries a small write. The caller completes the futures it returns once it let go of the lock.
     */
    List<Pending> heal() {
        List<Pending> onDisk = new ArrayList<>();
        long now = System.nanoTime();
        if (store.fault() == null && held.isEmpty()
                || lastHeal != 0 && now - lastHeal < TimeUnit.MILLISECONDS.toNanos(MessageStore.HEAL_MS)) {
            return onDisk;
        }
        lastHeal = now;
        if (held.isEmpty()) {
            store.heal();
        }
        while (!held.isEmpty() && store.tryAppend(held.peekFirst().message())) {
            heldBytes -= held.peekFirst().message().payload().length;
            onDisk.add(held.pollFirst());
        }
        return onDisk;
    }

    /** {@link #heal()} now, however recently it was tried. */
    List<Pending> healNow() {
        lastHeal = 0;
        return heal();
    }
}
