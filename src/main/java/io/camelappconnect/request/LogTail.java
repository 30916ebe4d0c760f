package io.camelappconnect.request;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Serves {@code log_req} (behaviour.md 5.3): the last {@code lines} lines of a file inside the log directory that
 * match a {@code grep -Ei} style filter, oldest first. The reference ran {@code tail | grep} through a shell and
 * read files anywhere; here the path is canonicalised (links resolved) before it is checked, the filter runs on
 * RE2/J (linear time), and the file is read backwards from its end in blocks, so neither a huge file, a line with
 * no end, nor a hostile filter costs more than the limits given. Keeps no state between calls: safe to share.
 */
public final class LogTail {

    private static final int BLOCK = 64 * 1024;
    private static final int MAX_FILTER_CHARS = 1000;
    /**
     * RE2/J builds its whole program up front and matches in time (line length x program size): nested counted
     * repeats like {@code ((a{1000}){1000}){1000}} would need gigabytes. Length x the product of the repeat counts
     * bounds the program size from above; 10,000 keeps a worst-case filter at about 1-2 s on a 64 KiB line.
     */
    private static final long MAX_FILTER_COST = 10_000;
    private static final Pattern REPEAT = Pattern.compile("\\{(\\d+)(?:,(\\d*))?\\}");

    private final Path logDir;
    private final int maxLines;
    private final int maxAnswerBytes;
    private final long maxScanBytes;
    private final Duration deadline;

    /** {@code note} is null, or says in words why the answer is shorter than asked. */
    public record Result(String text, String note) {}

    public LogTail(Path logDir, int maxLines, int maxAnswerBytes, long maxScanBytes, Duration deadline) {
        this.logDir = Objects.requireNonNull(logDir, "logDir");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (maxLines < 1 || maxAnswerBytes < 1 || maxScanBytes < 1 || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("log request limits must be positive");
        }
        this.maxLines = maxLines;
        this.maxAnswerBytes = maxAnswerBytes;
        this.maxScanBytes = maxScanBytes;
    }

    /**
     * The last {@code lines} lines of {@code file} that match {@code filter} (null or empty: every line), joined
     * with "\n". A line longer than {@code maxAnswerBytes} is cut to its end, and the filter sees only that end.
     */
    public Result read(String file, int lines, String filter) {
        if (lines < 1 || lines > maxLines) {
            throw new RequestError("'lines' must be a whole number from 1 to " + maxLines);
        }
        Pattern pattern = compile(filter);
        Path path = LogPath.locate(logDir, file);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return new Scan(lines, pattern).run(channel);
        } catch (AccessDeniedException e) {
            throw RequestError.failed("'" + file + "' can't be read: permission denied", null, e);
        } catch (IOException e) {
            throw RequestError.failed("'" + file + "' could not be read: " + e.getMessage(), null, e);
        }
    }

    private static Pattern compile(String filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        if (filter.length() > MAX_FILTER_CHARS) {
            throw new RequestError("'filter' is longer than " + MAX_FILTER_CHARS + " characters");
        }
        long cost = filter.length();
        for (Matcher m = REPEAT.matcher(filter); cost <= MAX_FILTER_COST && m.find(); ) {
            String most = m.group(2) == null || m.group(2).isEmpty() ? m.group(1) : m.group(2);
            cost *= most.length() > 5 ? MAX_FILTER_COST + 1 : Math.max(1, Integer.parseInt(most));
        }
        if (cost > MAX_FILTER_COST) {
            throw new RequestError("'filter' is too complex: its {n} repeats make it too big to match quickly;"
                    + " use fewer or smaller counts");
        }
        try {
            return Pattern.compile(filter, Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new RequestError("'filter' \"" + filter + "\" is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }

    /** One request's pass over a file from its end; lines come newest first. */
    private final class Scan {
        private final int lines;
        private final Pattern pattern;
        private final long stopAt = System.nanoTime() + deadline.toNanos();
        /** The current line's end as far as known, right-aligned; + 1: room for the '\r' of a "\r\n". */
        private final byte[] line = new byte[maxAnswerBytes + 1];
        private int lineStart = line.length;
        private boolean lineCut;
        private final ArrayDeque<String> kept = new ArrayDeque<>();
        private int keptBytes;
        private int keptCut;
        private int leftOut;

        Scan(int lines, Pattern pattern) {
            this.lines = lines;
            this.pattern = pattern;
        }

        Result run(FileChannel channel) throws IOException {
            long size = channel.size();
            long pos = size;
            ByteBuffer buffer = ByteBuffer.allocate(BLOCK);
            byte[] block = buffer.array();
            String stopped = null;
            while (pos > 0 && !enough()) {
                long scanned = size - pos;
                if (scanned >= maxScanBytes) {
                    stopped = "searched only the last " + size(scanned) + " of " + size(size);
                    break;
                }
                if (System.nanoTime() - stopAt > 0) {
                    stopped = "stopped at the time limit of " + deadline.toMillis() + " ms, having searched the last "
                            + size(scanned) + " of " + size(size);
                    break;
                }
                int n = (int) Math.min(BLOCK, Math.min(pos, maxScanBytes - scanned));
                pos -= n;
                buffer.clear().limit(n);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, pos + buffer.position()) < 0) {
                        throw new EOFException("it got shorter while it was read; try again");
                    }
                }
                // The file's final newline ends its last line, it doesn't start an empty one.
                int end = pos + n == size && block[n - 1] == '\n' ? n - 1 : n;
                for (int i = end - 1; i >= 0 && !enough(); i--) {
                    if (block[i] == '\n') {
                        prepend(block, i + 1, end);
                        endLine();
                        end = i;
                    }
                }
                prepend(block, 0, end);
            }
            if (pos == 0 && size > 0 && !enough()) {
                endLine(); // the first line has no newline before it
            }
            return result(stopped);
        }

        private boolean enough() {
            return kept.size() + leftOut >= lines;
        }

        /** Puts bytes [from, to) before the known part of the current line, keeping only its end once full. */
        private void prepend(byte[] bytes, int from, int to) {
            int n = Math.min(to - from, lineStart);
            lineCut |= n < to - from;
            System.arraycopy(bytes, to - n, line, lineStart - n, n);
            lineStart -= n;
        }

        private void endLine() {
            String text = new String(line, lineStart, line.length - lineStart, StandardCharsets.UTF_8);
            boolean cut = lineCut;
            lineStart = line.length;
            lineCut = false;
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            int bytes = utf8Length(text);
            if (bytes > maxAnswerBytes) { // the extra '\r' room, or malformed bytes each decoded to 3-byte U+FFFD
                text = tail(text, maxAnswerBytes);
                bytes = utf8Length(text);
                cut = true;
            }
            if (pattern != null && !pattern.matcher(text).find()) {
                return;
            }
            int need = kept.isEmpty() ? bytes : bytes + 1; // + 1: the "\n" joining it to the newer lines
            if (leftOut == 0 && keptBytes + need <= maxAnswerBytes) {
                kept.addFirst(text);
                keptBytes += need;
                keptCut += cut ? 1 : 0;
            } else {
                leftOut++; // still counted, so that the note can say how many
            }
        }

        private Result result(String stopped) {
            List<String> why = new ArrayList<>();
            if (keptCut > 0) {
                why.add(count(keptCut, "line") + " longer than " + maxAnswerBytes + " bytes cut to "
                        + (keptCut == 1 ? "its" : "their") + " last " + maxAnswerBytes + " bytes");
            }
            if (leftOut > 0) {
                why.add("answer limited to " + maxAnswerBytes + " bytes: left out " + count(leftOut, "older line"));
            }
            if (stopped != null) {
                why.add(stopped);
            }
            return new Result(String.join("\n", kept), why.isEmpty() ? null : String.join("; ", why));
        }
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return Math.round(bytes / 1024.0) + " KiB";
        }
        return String.format(Locale.ROOT, bytes < 10L << 20 ? "%.1f MiB" : "%.0f MiB", bytes / 1048576.0);
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The end of s that takes at most maxBytes in UTF-8. */
    private static String tail(String s, int maxBytes) {
        int i = s.length();
        int bytes = 0;
        while (i > 0) {
            int c = s.codePointBefore(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (bytes > maxBytes) {
                break;
            }
            i -= Character.charCount(c);
        }
        return s.substring(i);
    }
}
