package io.camelappconnect.request;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where a {@code log_req}'s file is: a name made the canonical path of a regular file inside the log directory, links
 * resolved before the check, or a {@link RequestError} that tells nothing about files outside it. Apart from
 * {@link LogTail}, which reads the file, because this is the part that guards the rest of the file system.
 */
final class LogPath {

    private static final int MAX_FILE_CHARS = 4096; // PATH_MAX: longer can't name a file anyway
    private static final int MAX_LINK_HOPS = 40; // as Linux in one lookup

    private LogPath() {
    }

    /** The canonical path of a regular file inside the log directory; nothing is told about files outside it. */
    static Path locate(Path logDir, String file) {
        if (file == null || file.isBlank()) {
            throw new RequestError("'file' is required: the name of a file in " + logDir);
        }
        if (file.indexOf('\0') >= 0 || file.length() > MAX_FILE_CHARS) {
            throw new RequestError("'file' must be a path without NUL characters, at most "
                    + MAX_FILE_CHARS + " characters long");
        }
        Path dir;
        try {
            dir = logDir.toRealPath();
        } catch (IOException e) {
            throw RequestError.failed("the log directory " + logDir + " does not exist or can't be reached", null, e);
        }
        if (!Files.isDirectory(dir)) {
            throw RequestError.failed("the log directory " + logDir + " is not a directory", null, null);
        }
        // '..' is taken by name, not looked up: "/etc/ssl/../../var/log/x" would tell whether /etc/ssl exists.
        Path named = logDir.toAbsolutePath().normalize();
        Path wanted = named.resolve(file).normalize();
        Path real;
        try {
            real = wanted.toRealPath();
        } catch (IOException e) {
            real = null;
        }
        // A path that doesn't resolve is checked where it would be: outside paths get one answer, there or not.
        if (!(wanted.startsWith(named) || wanted.startsWith(dir))
                || !(real != null ? real : whereItWouldBe(wanted)).startsWith(dir)) {
            throw new RequestError("'" + file + "' is not inside " + logDir);
        }
        if (real == null) {
            throw new RequestError("'" + file + "' was not found in " + logDir);
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new RequestError("'" + file + "' was not found in " + logDir, e);
        }
        if (attributes.isDirectory()) {
            throw new RequestError("'" + file + "' is a directory, not a log file");
        }
        if (!attributes.isRegularFile()) {
            throw new RequestError("'" + file + "' is not a regular file");
        }
        return real;
    }

    /**
     * Where a normalised absolute path that doesn't resolve would be: its deepest ancestor that exists, links
     * resolved, plus the rest; a link that leads nowhere is followed too, so a link to a missing file outside is
     * outside.
     */
    private static Path whereItWouldBe(Path path) {
        try {
            for (int hops = 0; hops < MAX_LINK_HOPS; hops++) {
                Path known = path.getParent();
                while (!Files.exists(known)) { // stops at the root at the latest
                    known = known.getParent();
                }
                Path next = known.resolve(path.getName(known.getNameCount())); // the first part that isn't there
                Path rest = next.relativize(path);
                if (!Files.isSymbolicLink(next)) {
                    return known.toRealPath().resolve(next.getFileName()).resolve(rest).normalize();
                }
                path = known.toRealPath().resolve(Files.readSymbolicLink(next)).resolve(rest).normalize();
            }
        } catch (IOException e) {
            // changed while we looked: judge it by name
        }
        return path;
    }

}
