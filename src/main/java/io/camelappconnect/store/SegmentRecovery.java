package io.camelappconnect.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a restart finds in store.dir: each file's good records counted, damage skipped or cut off, for
 * {@link MessageStore} to take in. Apart from the store because reading back after a crash is its own concern.
 */
final class SegmentRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class); // its lines are the store's

    private SegmentRecovery() {
    }

    /**
     * Counts a file's good records. A damaged one is skipped (the next good one found by scanning), a WARN for the
     * file; only the last file's tail cut short (a crash while writing) is cut off. A file that can't be read is left
     * as it is, with a WARN, and the rest of the store is used.
     *
     * @return the file, to be taken in; null when it holds no message or can't be read
     */
    static Segment recover(MessageStore store, Path file, boolean last) {
        long seq = Long.parseLong(file.getFileName().toString().replace(MessageStore.SUFFIX, ""));
        // never a new file of the same name, even for one left alone
        store.nextSeq = Math.max(store.nextSeq, seq + 1);
        Segment s = new Segment(store, seq, file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            long end = 0;
            long skipped = 0;
            while (pos + RecordFormat.HEADER <= size) {
                int body = store.format.bodyAt(ch, pos, size);
                if (body < 0) {
                    long good = store.format.nextRecord(ch, pos + 1, size);
                    if (good < 0) {
                        break; // no good record after it: the tail
                    }
                    skipped += good - pos;
                    pos = good;
                    continue;
                }
                pos += RecordFormat.HEADER + body;
                end = pos;
                s.count++;
            }
            if (skipped > 0) {
                LOG.warn("{}: {}: {} damaged bytes skipped, the {} good messages around them kept", store.name,
                        file,
                        skipped, s.count);
                s.damageReported = true;
            }
            if (end < size) {
                if (last) {
                    LOG.warn("{}: {} ends with {} bytes of a message cut short (a crash while writing): dropped",
                            store.name,
                            file, size - end);
                    ch.truncate(end);
                } else {
                    LOG.warn("{}: {} ends with {} damaged bytes: skipped", store.name, file, size - end);
                }
            }
            s.bytes = end;
        } catch (IOException e) {
            LOG.warn("{}: {} can't be read ({}): left as it is, the rest of store.dir is used", store.name, file,
                    StoreDirectory.describe(e));
            return null;
        }
        s.sealed = true;
        if (s.count == 0) {
            try {
                Files.delete(file);
            } catch (IOException e) {
                LOG.warn("{}: {} holds no message and can't be deleted: {}", store.name, file,
                        StoreDirectory.describe(e));
            }
            return null;
        }
        return s;
    }
}
