package io.camelappconnect.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import io.camelappconnect.store.MessageStore.Kept;

/**
 * How a message is laid out in a store file: its body's length and CRC-32, then its flags (QoS, retained), topic and
 * payload; and how the next good record is found past damaged bytes. Apart from the store's bookkeeping because the
 * format is what a restart must read back. Not thread-safe (one CRC for every record), as the store is not.
 */
final class RecordFormat {

    static final int HEADER = 8;
    /** The window a damaged region is scanned through for the next good record. */
    private static final int SCAN = 64 * 1024;

    private final CRC32 crc = new CRC32();

    ByteBuffer encode(Kept kept) {
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

    /** @throws RuntimeException for a body that is not a message (a CRC that matched by chance, when scanning) */
    private static Kept decode(ByteBuffer body) {
        int flags = body.get();
        byte[] topic = new byte[body.getShort() & 0xffff];
        body.get(topic);
        byte[] payload = new byte[body.remaining()];
        body.get(payload);
        return new Kept(new String(topic, StandardCharsets.UTF_8), payload, flags & 3, (flags & 4) != 0);
    }

    /** The body length of a good record (its length and CRC check out, and it is a message) at {@code pos}, or -1. */
    int bodyAt(FileChannel ch, long pos, long size) throws IOException {
        ByteBuffer header = read(ch, pos, HEADER);
        return recordAt(ch, pos, size, header) == null ? -1 : header.getInt(0);
    }

    /** The message of a good record at {@code pos} whose header is {@code header}, or null. */
    Kept recordAt(FileChannel ch, long pos, long size, ByteBuffer header) throws IOException {
        int body = header.getInt(0);
        if (body < 3 || body > size - pos - HEADER) {
            return null;
        }
        ByteBuffer b = read(ch, pos + HEADER, body);
        if (!crcMatches(b, header.getInt(4))) {
            return null;
        }
        try {
            return decode(b);
        } catch (RuntimeException notAMessage) {
            return null;
        }
    }

    /** The first position from {@code from} where a good record starts, or -1: a damaged region's end. */
    long nextRecord(FileChannel ch, long from, long size) throws IOException {
        for (long base = from; base + HEADER <= size; ) {
            ByteBuffer window = read(ch, base, (int) Math.min(SCAN, size - base));
            int candidates = window.limit() - HEADER + 1;
            for (int i = 0; i < candidates; i++) {
                if (recordAt(ch, base + i, size, window.slice(i, HEADER)) != null) {
                    return base + i;
                }
            }
            base += candidates;
        }
        return -1;
    }

    private boolean crcMatches(ByteBuffer body, int expected) {
        crc.reset();
        crc.update(body.array(), 0, body.limit());
        return (int) crc.getValue() == expected;
    }

    static ByteBuffer read(FileChannel ch, long pos, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (ch.read(buffer, pos + buffer.position()) < 0) {
                throw new EOFException("unexpected end of file");
            }
        }
        return buffer.flip();
    }
}
