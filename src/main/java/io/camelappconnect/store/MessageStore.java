package io.camelappconnect.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages waiting for a broker, on disk, in order (behaviour.md 7): they survive a restart and a kill -9 (each
 * message is written to the file before the call returns; the OS keeps it through a crash of the app), and are
 * bounded by count and bytes, the oldest going first when full.
 * <p>
 * Files of up to 1 % of the bound each ({@code <sequence>.seg}), so that dropping the oldest and forgetting what
 * was sent are a file deletion, with no index to rewrite on flash. Each record is its length, a CRC-32 and the
 * message; a record cut short by a crash is found by its CRC at the next start and cut off. A damaged record (bad
 * length or CRC) costs only itself: the next good one is found by scanning forward for a header whose length and
 * CRC check out. A file that can't be read (EIO, an interrupt) is kept and read again later, never deleted; a file
 * that can't be opened at start is left alone with a WARN. A file is deleted once all of it was sent: a crash in the
 * middle of one sends its sent part again (at least once).
 * <p>
 * A store that can't be written (disk full, read-only, missing and uncreatable) does not stop anything: the write
 * throws, {@link #fault} says why until a write succeeds again, and the caller holds the message elsewhere.
 * <p>
 * Why not a library: Paho's file persistence writes every publish to a file of its own, link up or down, and
 * belongs to its disconnected buffer, which loses messages (see {@code mqtt.Outbox}); Square's Tape opens its file
 * with synchronous writes, several flash writes per message; Camel's stores keep exchanges, not an ordered queue.
 * Not thread-safe: {@code mqtt.Outbox} holds its lock around every call.
 */
public final class MessageStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
    static final String SUFFIX = ".seg";
    /** Room below the first file's number for the messages that were in flight when a link went. */
    private static final long FIRST = 1_000_000_000_000L;
    private static final long WARN_EVERY_NS = 60_000_000_000L;
    /** How far back {@link #unread} can go in the oldest file (a batch of the HTTP mode is 10). */
    static final int UNREAD_MAX = 64;

    /** What memory holds, for its caller, while the store can't be written (the LNS window is far below). */
    public static final int MAX_HELD = 1000;
    public static final long MAX_HELD_BYTES = 4 << 20;
    /** How often a store that can't be written is tried again, by its caller ({@link #heal}, or a write). */
    public static final long HEAL_MS = 5_000;

    /** A message for a topic, as kept. */
    public record Kept(String topic, byte[] payload, int qos, boolean retained) {
    }

    final String name;
    final Path dir;
    private final int maxMessages;
    private final long maxBytes;
    private final int fileMessages;
    private final long fileBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    final RecordFormat format = new RecordFormat();
    private final StoreDirectory directory;
    long nextSeq = FIRST;
    int count;
    private long bytes;
    long dropped;
    private long written;
    private long lastWarning;
    /** fsync at most this often (ns); negative: never, the OS writes back in its own time. */
    private final long syncNanos;
    private long lastSync;
    private boolean unsynced;

    /**
     * Opens the store in {@code dir} (created if missing) with what an earlier run left there. A directory that
     * can't be used now (read-only, uncreatable) leaves the store empty with a {@link #fault}: every write tries to
     * open it again.
     *
     * @param name   the broker, for log lines
     * @param syncMs write what was kept through to the disk at most this often, in ms (0: every message; negative:
     *               never, the OS writes back in its own time): what a power cut may lose
     * @throws IllegalStateException when another process uses {@code dir}: two writers would interleave records and
     *                               send everything twice, a configuration error
     */
    public MessageStore(String name, Path dir, int maxMessages, long maxBytes, long syncMs) {
        this.name = name;
        this.syncNanos = syncMs < 0 ? -1 : syncMs * 1_000_000;
        this.dir = dir;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.fileMessages = Math.max(1, Math.min(1000, maxMessages / 100));
        this.fileBytes = Math.max(64 * 1024, maxBytes / 100);
        this.directory = new StoreDirectory(name, dir, this::recover);
        if (!directory.open() && directory.inUse()) {
            throw new IllegalStateException(directory.writeFault());
        }
        if (count > 0) {
            LOG.info("{}: {} messages kept in {} from before the restart, sent first", name, count, dir);
        }
    }

    /**
     * Why the store can't be used now (written, or read), naming store.dir; null while it works. A write fault lasts
     * until a write succeeds again; see {@link #heal}.
     */
    public String fault() {
        return directory.fault();
    }

    /**
     * While the store can't be written and nothing tries to: opens it if it never was, else writes (and deletes) a
     * small file, so that a disk that was fixed is seen to be. Writes nothing while the store works.
     */
    public void heal() {
        directory.heal();
    }

    /** Records a write fault (a WARN when it is new); false, for the callers' returns. */
    boolean writeFailed(String why) {
        return directory.writeFailed(why);
    }

    public int size() {
        return count;
    }

    public long bytes() {
        return bytes;
    }

    /** Messages written to disk since the start (none while the broker takes every message as it comes). */
    public long written() {
        return written;
    }

    /** Messages dropped to keep within the bounds, since the start. */
    public long dropped() {
        return dropped;
    }

    /** As {@link #append}: false when the disk did not take it (the store says why in its {@link #fault}, with a WARN). */
    public boolean tryAppend(Kept kept) {
        try {
            append(kept);
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /**
     * Adds the message after all others, dropping the oldest first when the store is full.
     *
     * @throws UncheckedIOException when it can't be written (then {@link #fault} says why)
     */
    public void append(Kept kept) {
        ByteBuffer record = format.encode(kept);
        directory.openToWrite();
        makeRoom(record.remaining());
        Segment tail = segments.peekLast();
        if (tail == null || tail.sealed || tail.count >= fileMessages || tail.bytes + record.remaining() > fileBytes) {
            if (tail != null) {
                tail.seal();
            }
            tail = new Segment(this, nextSeq++);
            segments.addLast(tail);
        }
        added(tail.write(record));
        directory.writeWorks();
        written(tail);
    }

    /**
     * Puts these, in this order, before everything kept: the messages sent but not acknowledged when a link went.
     * All or none.
     *
     * @throws UncheckedIOException when they can't be written (then {@link #fault} says why)
     */
    public void prepend(List<Kept> first) {
        if (first.isEmpty()) {
            return;
        }
        directory.openToWrite();
        long seq = segments.isEmpty() ? nextSeq++ : segments.peekFirst().seq - 1;
        Segment head = new Segment(this, seq);
        long length = 0;
        try {
            for (Kept kept : first) {
                length += head.write(format.encode(kept));
            }
        } catch (UncheckedIOException e) {
            head.closeChannel();
            try {
                Files.deleteIfExists(head.path);
            } catch (IOException gone) {
                // a disk that can't be written: the part written is read at the next start, sent twice at worst
            }
            throw e;
        }
        directory.writeWorks();
        written(head);
        head.seal();
        segments.addFirst(head);
        count += head.count;
        bytes += length;
        written += head.count;
        makeRoom(0);
    }

    /** After a write: synced now when the last sync is syncMs ago, else by the next {@link #sync} or write. */
    private void written(Segment s) {
        if (syncNanos < 0) {
            return;
        }
        s.unsynced = true;
        unsynced = true;
        if (System.nanoTime() - lastSync >= syncNanos) {
            sync();
        }
    }

    /** Writes what was kept since the last sync through to the disk (fsync), the new files' names too. */
    public void sync() {
        if (!unsynced) {
            return;
        }
        unsynced = false;
        lastSync = System.nanoTime();
        for (Segment s : segments) {
            s.sync();
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // a new file's directory entry
        } catch (IOException e) {
            LOG.debug("{}: cannot sync {}: {}", name, dir, e.getMessage());
        }
    }

    private void added(int length) {
        count++;
        bytes += length;
        written++;
    }

    /** Whether the oldest file was all sent: it is {@link #forget forgotten} once the broker acknowledged it. */
    public boolean headSent() {
        Segment head = segments.peekFirst();
        return head != null && head.read == head.count;
    }

    /** The oldest file's id, for {@link #forget}; -1 when there is none. */
    public long headId() {
        Segment head = segments.peekFirst();
        return head == null ? -1 : head.seq;
    }

    /**
     * Deletes a file all sent, once the broker acknowledged it: until then, after a kill -9, it is sent again rather
     * than lost. A file not all sent (or gone already) is left as it is.
     */
    public void forget(long id) {
        for (Segment s : segments) {
            if (s.seq == id) {
                if (s.read == s.count) {
                    segments.remove(s);
                    delete(s);
                }
                return;
            }
        }
    }

    /**
     * The oldest message not yet sent, in the oldest file unless that was all sent ({@link #headSent}); the same
     * object until it is {@link #remove removed}. A damaged record is skipped (counted as dropped).
     *
     * @throws UncheckedIOException when the file can't be read now (EIO, an interrupt): it is kept, whole, and read
     *                              again by the next call
     */
    public Kept peek() {
        Segment head = segments.peekFirst();
        if (head == null || head.read == head.count) {
            return null;
        }
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel under the read
        try {
            Kept next = head.next();
            directory.readWorks(head.path);
            return next;
        } catch (IOException e) {
            head.closeChannel(); // opened again by the next call
            String why = "cannot read " + head.path + " now, kept to be read again: " + StoreDirectory.describe(e);
            directory.readFailed(why, e instanceof AsynchronousCloseException);
            throw new UncheckedIOException(why, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Forgets a message {@link #peek} gave, once sent. Found by identity: messages put in front while it was being
     * sent don't move it.
     */
    public void remove(Kept sent) {
        for (Segment s : segments) {
            if (s.next == sent) {
                s.advance();
                return;
            }
        }
        // dropped meanwhile to make room: nothing to forget
    }

    /**
     * Takes back the last messages {@link #remove}d from the oldest file, which the peer did not take after all: the
     * next {@link #peek} gives them again, in order, and nothing is written. When that file went meanwhile (dropped
     * to make room), they are put in front as {@link #prepend} does.
     *
     * @param headId the oldest file's {@link #headId} when they were taken
     */
    public void unread(long headId, List<Kept> taken) {
        Segment head = segments.peekFirst();
        if (head == null || head.seq != headId || head.taken.size() < taken.size()) {
            prepend(taken);
            return;
        }
        for (int i = 0; i < taken.size(); i++) {
            head.readPos = head.taken.pollLast();
        }
        head.read -= taken.size();
        head.next = null;
        count += taken.size();
    }

    @Override
    public void close() {
        sync();
        for (Segment s : segments) {
            s.closeChannel();
        }
        directory.close();
    }

    private void makeRoom(int incoming) {
        while (!segments.isEmpty() && (count + (incoming > 0 ? 1 : 0) > maxMessages || bytes + incoming > maxBytes)) {
            Segment oldest = segments.pollFirst();
            int lost = oldest.count - oldest.read;
            dropped += lost;
            delete(oldest);
            long now = System.nanoTime();
            if (lastWarning == 0 || now - lastWarning > WARN_EVERY_NS) { // a long outage: a line a minute, not a flood
                lastWarning = now;
                LOG.warn("{}: store full (store.maxMessages={}, store.maxMiB={}): the oldest messages are dropped, {} so"
                        + " far", name, maxMessages, maxBytes >> 20, dropped);
            }
        }
    }

    private void delete(Segment s) {
        s.closeChannel();
        count -= s.count - s.read;
        bytes -= s.bytes;
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) { // sent again after a restart, at worst: at least once
            writeFailed("cannot delete " + s.path + " (sent or dropped; sent again after a restart): "
                    + StoreDirectory.describe(e));
        }
    }

    /** Takes in the files an earlier run left, those holding a message ({@link SegmentRecovery} reads them). */
    private void recover(List<Path> files) {
        for (int i = 0; i < files.size(); i++) {
            Segment s = SegmentRecovery.recover(this, files.get(i), i == files.size() - 1);
            if (s != null) {
                segments.addLast(s);
                count += s.count;
                bytes += s.bytes;
            }
        }
    }
}
