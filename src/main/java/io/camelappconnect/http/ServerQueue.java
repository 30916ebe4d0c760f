package io.camelappconnect.http;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.mqtt.ConnectionConfig.Backoff;
import io.camelappconnect.mqtt.NowhereSafe;
import io.camelappconnect.operations.Link;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What goes to the web server in HTTP mode (behaviour.md 9), in order, nothing lost. One thread posts, oldest first:
 * while the server answers, messages wait in memory only (a route's exchange, and so the LNS acknowledgement, ends
 * when the server took its message); when a post fails they go to the disk store of behaviour.md 7 with everything
 * behind them, and are posted from there, with backoff, until the store is empty again. Several waiting uplinks go
 * as one batch of up to 10; a join, an uplink over 700 bytes, init and close go on their own.
 * <p>
 * A message the store can't take (disk full, read-only, EIO) is held in memory behind everything kept, and is not
 * safe: its future completes once the server took it, or the disk after all (tried again every
 * {@link MessageStore#HEAL_MS}); so the LNS acknowledgement waits.
 * <p>
 * A 4xx answer other than 408 and 429 means the server will never take that message: it is dropped with a WARN
 * naming the status, and counted (a batch refused so goes again one message at a time, and only what is refused then
 * is dropped). Anything else (no connection, a timeout, 5xx, 408, 429) is tried again.
 */
public final class ServerQueue implements Link {

    /** Posts one request to the server: the route that reads {@code from: server:posts}. */
    public interface Sender {
        /**
         * @param path     below the URL's prefix
         * @param body     one message, or a JSON array of a batch's messages
         * @param messages how many messages the body holds
         * @throws Exception when the server did not take it
         */
        void post(String path, byte[] body, int messages) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerQueue.class);
    private static final CompletableFuture<Void> SAFE = CompletableFuture.completedFuture(null);

    record Pending(Kept message, CompletableFuture<Void> safe) {
    }

    private final String name;
    private final String url;
    private final MessageStore store;
    private final Backoff backoff;
    private final ServerPosts posts;
    private final long syncMs;
    private final WaitingInMemory memory;
    /** Newer than everything in the store, which could not take them: while not empty, what comes goes here too. */
    private final HeldForDisk held;
    private Sender sender;
    private Thread thread;
    private boolean running;
    /** Since a post failed: what comes goes to the store, behind what waits there, until it is empty again. */
    private boolean keeping;

    /**
     * @param batchPath where a batch of uplinks is posted ({@code api/v1/lorawan/<APP>/up})
     * @param syncMs    store.syncMs: what was kept reaches the disk within this (0: at once; negative: the OS decides)
     * @param onRefused counts a message the server refused with a 4xx
     * @param keys      its settings, as a failure's hint names them
     */
    public ServerQueue(String name, String url, String batchPath, MessageStore store, Backoff backoff, long syncMs,
                       Runnable onRefused, Causes.Keys keys) {
        this.name = name;
        this.url = url;
        this.store = store;
        this.memory = new WaitingInMemory(store);
        this.held = new HeldForDisk(name, store);
        this.backoff = backoff;
        this.posts = new ServerPosts(name, url, batchPath, onRefused, keys);
        this.syncMs = syncMs;
    }

    /**
     * Queues a message for the server. The future completes once it is safe: taken by the server (or refused by it
     * for good), or kept on disk; not while a store that can't be written leaves it in memory.
     *
     * @throws NowhereSafe when the disk can't take it and memory holds as much as it may already
     */
    public synchronized CompletableFuture<Void> post(String path, byte[] body) {
        Kept message = new Kept(path, body, 1, false);
        if (keeping || store.size() > 0 || !held.isEmpty() || memory.full()) {
            notifyAll();
            if (held.isEmpty() && store.tryAppend(message)) {
                return SAFE;
            }
            return held.add(message);
        }
        CompletableFuture<Void> safe = memory.add(message);
        notifyAll();
        return safe;
    }

    /** The route that posts: the queue sends once it is there (a message meanwhile waits). */
    public synchronized void attach(Sender route) {
        this.sender = route;
        if (thread == null) {
            running = true;
            thread = new Thread(this::run, name + " posts");
            thread.setDaemon(true);
            thread.start();
        }
        notifyAll();
    }

    public synchronized void detach(Sender route) {
        if (sender == route) {
            sender = null;
        }
    }

    /** Ends the posting thread (a post under way is given up and kept) and keeps what waits in memory on disk. */
    public void stop() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
            notifyAll();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Pending> kept;
        synchronized (this) {
            keeping |= !memory.isEmpty();
            kept = memory.keepOnDisk();
            // what the disk can't take now is not acknowledged: the LNS broker sends it again
            kept.addAll(held.healNow());
            store.close();
        }
        kept.forEach(p -> p.safe.complete(null));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isConnected() {
        return posts.reachable();
    }

    @Override
    public long connects() {
        return posts.connects();
    }

    @Override
    public synchronized State state() {
        return new State(name, url, posts.reachable(), posts.connects(), store.size() + held.size(), store.written(),
                store.dropped(), posts.lastCause(), store.fault());
    }

    private void run() {
        int failures = 0;
        while (true) {
            List<Kept> batch = List.of();
            List<Pending> pending = null;
            boolean fromHeld = false;
            boolean unreadable = false;
            long takenFrom = -1;
            Sender route;
            List<Pending> onDisk = new ArrayList<>();
            synchronized (this) {
                onDisk.addAll(held.heal());
                while (running && (sender == null || store.size() == 0 && memory.isEmpty() && held.isEmpty())) {
                    try {
                        // a store that can't be written is tried again in a while, also when nothing comes
                        wait(store.fault() != null ? MessageStore.HEAL_MS : Math.max(0, syncMs));
                    } catch (InterruptedException e) {
                        // stop() says so in running
                    }
                    if (syncMs > 0) { // the last of what a burst kept reaches the disk too, within store.syncMs
                        store.sync();
                    }
                    onDisk.addAll(held.heal());
                }
                route = sender;
                // what waits in memory is older than anything kept on disk since (a failure moves it all to the
                // disk, and the disk takes the next ones only while memory is full or something is kept there);
                // what is held for a disk that can't take it is newer than all of that
                if (!running) {
                    route = null;
                } else if (!memory.isEmpty()) {
                    pending = memory.take();
                } else if (store.size() == 0) {
                    pending = held.take();
                    fromHeld = true;
                } else {
                    // until the store is empty again what comes goes behind it, also while this batch is on its way
                    // (the store says 0 for it meanwhile, yet a failure puts it back)
                    keeping = true;
                    takenFrom = store.headId();
                    try {
                        batch = Batches.takeFrom(store);
                    } catch (UncheckedIOException e) { // can't be read now: kept, read again after the backoff
                        unreadable = true;
                    }
                    if (batch.isEmpty() && !unreadable) { // the oldest file was all sent: gone, on to the next
                        store.forget(store.headId());
                    }
                }
                if (pending != null) {
                    batch = pending.stream().map(Pending::message).toList();
                }
            }
            onDisk.forEach(p -> p.safe.complete(null)); // outside the lock: the routes go on on this thread
            if (route == null) {
                return;
            }
            if (unreadable) {
                sleep(backoff.delay(failures++));
                continue;
            }
            if (batch.isEmpty()) {
                continue;
            }
            int done = posts.post(route, batch);
            boolean failed = done < batch.size();
            List<Pending> safe = pending == null ? List.of() : new ArrayList<>(pending);
            synchronized (this) {
                if (pending == null) {
                    if (failed) { // read again next time, from the same file: nothing written per try
                        store.unread(takenFrom, batch.subList(done, batch.size()));
                    }
                    if (store.headSent()) {
                        store.forget(store.headId());
                    }
                } else if (fromHeld) {
                    safe = held.posted(pending, done);
                } else if (failed) {
                    safe = memory.failed(pending, done);
                }
                if (failed) {
                    keeping = true;
                } else if (keeping && store.size() == 0 && memory.isEmpty() && held.isEmpty()) {
                    keeping = false;
                    LOG.info("{}: what was kept while the server was away is all posted", name);
                }
            }
            // outside the lock: the routes go on (the LNS acknowledgement) on this thread
            safe.forEach(p -> p.safe.complete(null));
            if (failed) {
                sleep(backoff.delay(failures++));
            } else {
                failures = 0;
            }
        }
    }

    /** On the monotonic clock: a wall clock set back (NTP after boot) must not stretch a backoff. */
    private void sleep(long ms) {
        synchronized (this) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
            for (long left = ms; running && left > 0; left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) {
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    return; // stop() says so in running
                }
            }
        }
    }
}
