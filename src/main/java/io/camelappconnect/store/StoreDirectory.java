package io.camelappconnect.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MessageStore}'s directory: its lock (one process per store.dir), its opening (the files an earlier run
 * left, handed to the store in order), and why it can't be used now (written, or read), until it can again. Not
 * thread-safe: called under the store's caller's lock, as the store is.
 */
final class StoreDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(MessageStore.class); // the store's log lines

    private final String name;
    private final Path dir;
    /** Takes in the segment files an earlier run left, oldest first. */
    private final Consumer<List<Path>> takeIn;
    private FileChannel lockFile;
    /** Opened (locked, files recovered); until then every write tries again. */
    private boolean opened;
    /** Another process holds the lock: a start failure, not a fault to wait out. */
    private boolean inUse;
    private volatile String writeFault;
    private volatile String readFault;

    StoreDirectory(String name, Path dir, Consumer<List<Path>> takeIn) {
        this.name = name;
        this.dir = dir;
        this.takeIn = takeIn;
    }

    /** Locks the directory and takes in the files an earlier run left; false, with the {@link #fault}, if it can't. */
    boolean open() {
        if (opened) {
            return true;
        }
        try {
            Files.createDirectories(dir);
            lockFile = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            inUse = !locked(lockFile);
            if (inUse) { // at start an error of its own; later, the fault health shows
                close();
                writeFault = "store.dir: " + dir + " is in use by another process: give each instance its own store.dir";
                return false;
            }
            try (Stream<Path> list = Files.list(dir)) {
                takeIn.accept(list.filter(p -> p.getFileName().toString().matches("\\d+\\" + MessageStore.SUFFIX))
                        .sorted().toList());
            }
        } catch (IOException | UncheckedIOException e) {
            close();
            return writeFailed("store.dir: cannot use " + dir + ": " + describe(e));
        }
        opened = true;
        return true;
    }

    /** @throws UncheckedIOException saying the {@link #fault} when the directory can't be opened */
    void openToWrite() {
        if (!open()) {
            throw new UncheckedIOException(new IOException(writeFault));
        }
    }

    /** Another process uses the directory (the open failed for that). */
    boolean inUse() {
        return inUse;
    }

    /** Why the store can't be written now; null while it can. */
    String writeFault() {
        return writeFault;
    }

    /** See {@link MessageStore#fault}. */
    String fault() {
        String w = writeFault;
        return w != null ? w : readFault;
    }

    /** See {@link MessageStore#heal}. */
    void heal() {
        if (writeFault == null || !open()) {
            return;
        }
        Path probe = dir.resolve(".probe");
        try {
            Files.write(probe, new byte[1], StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
            Files.delete(probe);
            writeWorks();
        } catch (IOException e) {
            writeFailed("cannot write to store.dir: " + dir + ": " + describe(e));
        }
    }

    /** Records a write fault (a WARN when it is new); false, for the callers' returns. */
    boolean writeFailed(String why) {
        if (!why.equals(writeFault)) {
            LOG.warn("{}: {}: what can't be written waits in memory, not acknowledged, until it can be sent", name, why);
        }
        writeFault = why;
        return false;
    }

    void writeWorks() {
        if (writeFault != null) {
            LOG.info("{}: store.dir {} can be written again", name, dir);
            writeFault = null;
        }
    }

    /** Records a read fault (a WARN when it is new, none for an interrupt: that is a stop). */
    void readFailed(String why, boolean interrupt) {
        if (!interrupt && !why.equals(readFault)) {
            LOG.warn("{}: {}", name, why);
            readFault = why;
        }
    }

    void readWorks(Path file) {
        if (readFault != null) {
            LOG.info("{}: {} can be read again", name, file);
            readFault = null;
        }
    }

    static String describe(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Releases the lock. */
    void close() {
        if (lockFile != null) {
            try {
                lockFile.close(); // releases the lock
            } catch (IOException e) {
                LOG.debug("{}: closing the lock file: {}", name, e.getMessage());
            }
            lockFile = null;
        }
    }

    private static boolean locked(FileChannel file) throws IOException {
        try {
            return file.tryLock() != null;
        } catch (OverlappingFileLockException sameProcess) {
            return false;
        }
    }
}
