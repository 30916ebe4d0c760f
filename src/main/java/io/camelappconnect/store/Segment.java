package io.camelappconnect.store;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;

import io.camelappconnect.store.MessageStore.Kept;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One file: written at its end until sealed, read from its start. */
final class Segment {
    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class); // its lines are the store's

    private final MessageStore store;
    final long seq;
    final Path path;
    int count;
    long bytes;
    int read;
    long readPos;
    boolean sealed;
    Kept next;
    int nextLength;
    /** Where the last records taken started, for {@link #unread}. */
    final ArrayDeque<Long> taken = new ArrayDeque<>();
    boolean damageReported;
    FileChannel channel;
    boolean unsynced;

    Segment(MessageStore store, long seq) {
        this(store, seq, store.dir.resolve(String.format("%020d%s", seq, MessageStore.SUFFIX)));
    }

    Segment(MessageStore store, long seq, Path path) {
        this.store = store;
        this.seq = seq;
        this.path = path;
    }

    /** @return the bytes written */
    int write(ByteBuffer record) {
        int length = record.remaining();
        boolean interrupted = Thread.interrupted(); // an interrupt would close the channel under the write
        try {
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            }
            while (record.hasRemaining()) {
                channel.write(record, bytes + length - record.remaining());
            }
        } catch (IOException e) {
            cutBack();
            closeChannel(); // the next write opens it again, and writes where this one began
            String why = "cannot write to store.dir: " + path + ": " + StoreDirectory.describe(e);
            store.writeFailed(why);
            throw new UncheckedIOException(why, e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        count++;
        bytes += length;
        return length;
    }

    /** No more writes: a new file takes the next ones (or this one was found at start, or put in front). */
    void seal() {
        sync();
        sealed = true;
        closeChannel(); // a file descriptor per file only while it is read or written
    }

    /**
     * The next good record's message, skipping damaged ones; null when none is left (fewer than counted: damaged
     * since the start, counted as dropped).
     *
     * @throws IOException when the file can't be read now: nothing is skipped
     */
    Kept next() throws IOException {
        while (next == null) {
            if (readPos + RecordFormat.HEADER > bytes) {
                lostSinceCounted();
                return null;
            }
            if (channel == null) {
                channel = FileChannel.open(path, StandardOpenOption.READ);
            }
            ByteBuffer header;
            Kept k;
            try {
                header = RecordFormat.read(channel, readPos, RecordFormat.HEADER);
                k = store.format.recordAt(channel, readPos, bytes, header);
            } catch (EOFException cutShort) { // cut short since the start
                lostSinceCounted();
                return null;
            }
            if (k != null) {
                next = k;
                nextLength = RecordFormat.HEADER + header.getInt(0);
            } else {
                long good = store.format.nextRecord(channel, readPos + 1, bytes);
                if (!damageReported) { // found at start already, or once now
                    damageReported = true;
                    LOG.warn("{}: {}: damaged bytes at {} skipped", store.name, path, readPos);
                }
                readPos = good < 0 ? bytes : good;
            }
        }
        return next;
    }

    private void lostSinceCounted() {
        int lost = count - read;
        LOG.warn("{}: {}: {} messages damaged since the start, dropped", store.name, path, lost);
        store.dropped += lost;
        store.count -= lost;
        count = read;
        seal();
    }

    /** After a failed write: the part written goes, so that the file holds whole records only (best effort). */
    private void cutBack() {
        if (channel != null) {
            try {
                channel.truncate(bytes);
            } catch (IOException e) {
                LOG.debug("{}: cannot cut {} back: {}", store.name, path, e.getMessage()); // read past as damage
            }
        }
    }

    void advance() {
        if (taken.size() == MessageStore.UNREAD_MAX) {
            taken.pollFirst();
        }
        taken.addLast(readPos);
        readPos += nextLength;
        next = null;
        read++;
        store.count--;
        if (read == count) {
            seal(); // all sent: what comes next goes to a new file, so this one can be deleted whole
        }
    }

    /** fsync, if written since the last: a sealed file's channel is closed, so before the seal. */
    void sync() {
        if (unsynced && channel != null) {
            boolean interrupted = Thread.interrupted();
            try {
                channel.force(false);
            } catch (IOException e) { // the OS may drop what it could not write: what a power cut may lose
                store.writeFailed("cannot sync store.dir: " + path + ": " + StoreDirectory.describe(e));
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        unsynced = false;
    }

    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("{}: closing {}: {}", store.name, path, e.getMessage());
            }
            channel = null;
        }
    }
}
