package io.camelappconnect.mqtt;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages waiting for a broker, on disk, in order (behaviour.md 7): they survive a restart and a kill -9 (each
 * message is written to the file before the call returns; the OS keeps it through a crash of the app), and are
 * bounded by count and bytes, the oldest going first when full.
 * <p>
 * Files of up to 1 % of the bound each ({@code <sequence>.seg}), so that dropping the oldest and forgetting what
 * was sent are a file deletion, with no index to rewrite on flash. Each record is its length, a CRC-32 and the
 * message; a record cut short by a crash is found by its CRC at the next start and cut off. A file is deleted once
 * all of it was sent: a crash in the middle of one sends its sent part again (at least once).
 * <p>
 * Why not a library: Paho's file persistence writes every publish to a file of its own, link up or down, and
 * belongs to its disconnected buffer, which loses messages (see {@link Outbox}); Square's Tape opens its file
 * with synchronous writes, several flash writes per message; Camel's stores keep exchanges, not an ordered queue.
 * Not thread-safe: {@link Outbox} holds its lock around every call.
 */
public final class MessageStore implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class);
    private static final String SUFFIX = ".seg";
    /** Room below the first file's number for the messages that were in flight when a link went. */
    private static final long FIRST = 1_000_000_000_000L;
    private static final int HEADER = 8;
    private static final long WARN_EVERY_NS = 60_000_000_000L;

    /** A message for a topic, as kept. */
    public record Kept(String topic, byte[] payload, int qos, boolean retained) {
    }

    private final String name;
    private final Path dir;
    private final int maxMessages;
    private final long maxBytes;
    private final int fileMessages;
    private final long fileBytes;
    private final ArrayDeque<Segment> segments = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private FileChannel lockFile;
    private long nextSeq = FIRST;
    private int count;
    private long bytes;
    private long dropped;
    private long written;
    private long lastWarning;
    /** fsync at most this often (ns); negative: never, the OS writes back in its own time. */
    private final long syncNanos;
    private long lastSync;
    private boolean unsynced;

    /**
     * Opens the store in {@code dir} (created if missing) with what an earlier run left there.
     *
     * @param name   the broker, for log lines
     * @param syncMs write what was kept through to the disk at most this often, in ms (0: every message; negative:
     *               never, the OS writes back in its own time): what a power cut may lose
     */
    public MessageStore(String name, Path dir, int maxMessages, long maxBytes, long syncMs) {
        this.name = name;
        this.syncNanos = syncMs < 0 ? -1 : syncMs * 1_000_000;
        this.dir = dir;
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.fileMessages = Math.max(1, Math.min(1000, maxMessages / 100));
        this.fileBytes = Math.max(64 * 1024, maxBytes / 100);
        try {
            Files.createDirectories(dir);
            lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (!locked(lockFile)) { // two writers would interleave records and send everything twice
                lockFile.close();
                throw new IllegalStateException("store.dir: " + dir + " is in use by another process: give each"
                        + " instance its own store.dir");
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.getFileName().toString().matches("\\d+\\" + SUFFIX)).sorted().toList();
            }
            for (Path file : files) {
                recover(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("store.dir: cannot use " + dir + " for " + name + ": " + e.getMessage(), e);
        }
        if (count > 0) {
            LOG.info("{}: {} messages kept in {} from before the restart, sent first", name, count, dir);
        }
    }

    private static boolean locked(FileChannel file) throws IOException {
        try {
            return file.tryLock() != null;
        } catch (OverlappingFileLockException sameProcess) {
            return false;
        }
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

    /** Adds the message after all others, dropping the oldest first when the store is full. */
    public void append(Kept kept) {
        ByteBuffer record = encode(kept);
        makeRoom(record.remaining());
        Segment tail = segments.peekLast();
        if (tail == null || tail.sealed || tail.count >= fileMessages || tail.bytes + record.remaining() > fileBytes) {
            if (tail != null) {
                tail.seal();
            }
            tail = new Segment(nextSeq++);
            segments.addLast(tail);
        }
        added(tail.write(record));
        written(tail);
    }

    /** Puts these, in this order, before everything kept: the messages sent but not acknowledged when a link went. */
    public void prepend(List<Kept> first) {
        if (first.isEmpty()) {
            return;
        }
        long seq = segments.isEmpty() ? nextSeq++ : segments.peekFirst().seq - 1;
        Segment head = new Segment(seq);
        long length = 0;
        try {
            for (Kept kept : first) {
                length += head.write(encode(kept));
            }
        } catch (UncheckedIOException e) {
            head.closeChannel();
            head.path.toFile().delete();
            throw e;
        }
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
     * object until it is {@link #remove removed}. A file that can't be read is dropped with a WARN, and counted.
     */
    public Kept peek() {
        while (true) {
            Segment head = segments.peekFirst();
            if (head == null || head.read == head.count) {
                return null;
            }
            try {
                return head.next();
            } catch (UncheckedIOException e) {
                segments.pollFirst();
                dropped += head.count - head.read;
                LOG.warn("{}: {} messages dropped: {}", name, head.count - head.read, e.getMessage());
                delete(head);
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
        if (head == null || head.seq != headId || head.read < taken.size()) {
            prepend(taken);
            return;
        }
        long length = 0;
        for (Kept k : taken) {
            length += HEADER + 3 + k.topic().getBytes(StandardCharsets.UTF_8).length + k.payload().length;
        }
        head.read -= taken.size();
        head.readPos -= length;
        head.next = null;
        count += taken.size();
    }

    @Override
    public void close() {
        sync();
        for (Segment s : segments) {
            s.closeChannel();
        }
        try {
            lockFile.close(); // releases the lock
        } catch (IOException e) {
            LOG.debug("{}: closing the lock file: {}", name, e.getMessage());
        }
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
        } catch (IOException e) {
            LOG.warn("{}: cannot delete {}: {}", name, s.path, e.getMessage());
        }
    }

    private ByteBuffer encode(Kept kept) {
        byte[] topic = kept.topic().getBytes(StandardCharsets.UTF_8);
        if (topic.length > 0xffff) {
            throw new IllegalArgumentException("a topic of " + topic.length + " bytes: MQTT allows 65,535");
        }
        byte[] payload = kept.payload();
        int body = 1 + 2 + topic.length + payload.length;
        ByteBuffer record = ByteBuffer.allocate(HEADER + body);
        record.position(HEADER);
        record.put((byte) (kept.qos() | (kept.retained() ? 4 : 0)));
        record.putShort((short) topic.length).put(topic).put(payload);
        crc.reset();
        crc.update(record.array(), HEADER, body);
        record.putInt(0, body).putInt(4, (int) crc.getValue());
        return record.flip();
    }

    private static Kept decode(ByteBuffer body) {
        int flags = body.get();
        byte[] topic = new byte[body.getShort() & 0xffff];
        body.get(topic);
        byte[] payload = new byte[body.remaining()];
        body.get(payload);
        return new Kept(new String(topic, StandardCharsets.UTF_8), payload, flags & 3, (flags & 4) != 0);
    }

    /** Counts a file's whole records; a record cut short or damaged ends it (a crash while writing). */
    private void recover(Path file) throws IOException {
        long seq = Long.parseLong(file.getFileName().toString().replace(SUFFIX, ""));
        Segment s = new Segment(seq, file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            while (pos + HEADER <= size) {
                ByteBuffer header = read(ch, pos, HEADER);
                int body = header.getInt(0);
                if (body < 3 || pos + HEADER + body > size || !crcMatches(read(ch, pos + HEADER, body), header.getInt(4))) {
                    break;
                }
                pos += HEADER + body;
                s.count++;
            }
            if (pos < size) {
                LOG.warn("{}: {} ends with {} bytes of a message cut short (a crash while writing): dropped", name, file,
                        size - pos);
                ch.truncate(pos);
            }
            s.bytes = pos;
        }
        s.sealed = true;
        if (s.count == 0) {
            Files.delete(file);
            return;
        }
        segments.addLast(s);
        count += s.count;
        bytes += s.bytes;
        nextSeq = Math.max(nextSeq, seq + 1);
    }

    private boolean crcMatches(ByteBuffer body, int expected) {
        crc.reset();
        crc.update(body.array(), 0, body.limit());
        return (int) crc.getValue() == expected;
    }

    private static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, pos + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buffer.flip();
    }

    /** One file: written at its end until sealed, read from its start. */
    private final class Segment {
        final long seq;
        final Path path;
        int count;
        long bytes;
        int read;
        long readPos;
        boolean sealed;
        Kept next;
        int nextLength;
        FileChannel channel;
        boolean unsynced;

        Segment(long seq) {
            this(seq, dir.resolve(String.format("%020d%s", seq, SUFFIX)));
        }

        Segment(long seq, Path path) {
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
                closeChannel(); // the next write opens it again
                throw new UncheckedIOException(name + ": cannot write to " + path + ": " + e.getMessage(), e);
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

        Kept next() {
            if (next == null) {
                boolean interrupted = Thread.interrupted();
                try {
                    if (channel == null) {
                        channel = FileChannel.open(path, StandardOpenOption.READ);
                    }
                    int body = read(channel, readPos, HEADER).getInt(0);
                    next = decode(read(channel, readPos + HEADER, body));
                    nextLength = HEADER + body;
                } catch (IOException | RuntimeException e) {
                    closeChannel();
                    throw new UncheckedIOException(name + ": cannot read " + path + ": " + e.getMessage(),
                            e instanceof IOException io ? io : new IOException(e));
                } finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return next;
        }

        void advance() {
            readPos += nextLength;
            next = null;
            read++;
            MessageStore.this.count--;
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
                } catch (IOException e) {
                    LOG.warn("{}: cannot sync {}: {}", name, path, e.getMessage());
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
                    LOG.debug("{}: closing {}: {}", name, path, e.getMessage());
                }
                channel = null;
            }
        }
    }
}
