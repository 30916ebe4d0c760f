package io.camelappconnect.request;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into arguments the way a POSIX shell splits words with quotes, and nothing more: no
 * expansion, no operators. {@code ;}, {@code |}, {@code &&}, {@code $(...)}, backticks and newlines are plain
 * characters of a word; only spaces and tabs separate words (behaviour.md 5.1).
 */
public final class ShellWords {

    private ShellWords() {
    }

    /** @throws RequestError for an unterminated quote, a NUL character, or no word at all */
    public static List<String> split(String command) {
        if (command.indexOf('\0') >= 0) {
            throw new RequestError("command contains a NUL character");
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            switch (c) {
                case ' ', '\t' -> {
                    if (inWord) {
                        words.add(word.toString());
                        word.setLength(0);
                        inWord = false;
                    }
                }
                case '\'' -> {
                    int end = command.indexOf('\'', i + 1);
                    if (end < 0) {
                        throw new RequestError("command has an unterminated ' quote");
                    }
                    word.append(command, i + 1, end);
                    i = end;
                    inWord = true;
                }
                case '"' -> {
                    i = doubleQuoted(command, i + 1, word);
                    inWord = true;
                }
                case '\\' -> {
                    if (i + 1 == command.length()) {
                        word.append(c); // a lone backslash at the end stays, as dash keeps it
                        inWord = true;
                    } else if (command.charAt(++i) != '\n') { // backslash-newline: a line continuation, gone
                        word.append(command.charAt(i));
                        inWord = true;
                    }
                }
                default -> {
                    word.append(c);
                    inWord = true;
                }
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new RequestError("command is empty, e.g. \"device count\"");
        }
        return words;
    }

    /**
     * Inside "...": a backslash escapes only $ ` " \ and newline (a line continuation, gone) (POSIX); returns the
     * index of the closing quote.
     */
    private static int doubleQuoted(String command, int from, StringBuilder word) {
        for (int i = from; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < command.length() && "$`\"\\\n".indexOf(command.charAt(i + 1)) >= 0) {
                c = command.charAt(++i);
                if (c == '\n') {
                    continue;
                }
            }
            word.append(c);
        }
        throw new RequestError("command has an unterminated \" quote");
    }
}
