package io.camelappconnect.request;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 5.1: a lora_req command is split into arguments as a POSIX shell splits words with quotes, and
 * nothing more. Each row is a command as the cloud sends it (Java escapes: {@code \\} is one backslash, {@code \n} a
 * newline) and the argv it gives. The rows of {@link #splitsAsTheShellDoes} are what /bin/sh (dash) gives for the
 * same text, {@code sh -c "printf '[%s]' <command>"}; the test runs no shell.
 */
@Tag("step")
class ShellWordsTest {

    private static Arguments row(String what, String command, String... argv) {
        return Arguments.of(what, command, List.of(argv));
    }

    static Stream<Arguments> asTheShell() {
        return Stream.of(
                // words and blanks: spaces and tabs separate, any run of them, at either end too
                row("plain words", "device count", "device", "count"),
                row("one word", "help", "help"),
                row("a run of spaces, and at the ends", "  device   count  ", "device", "count"),
                row("a tab", "device\tcount", "device", "count"),
                row("runs of spaces and tabs", " \t device \t\t count \t ", "device", "count"),
                // single quotes: everything literal up to the next '
                row("single-quoted blanks", "'a b'", "a b"),
                row("single-quoted space alone", "' '", " "),
                row("single-quoted backslash", "'a\\b'", "a\\b"),
                row("single-quoted two backslashes", "'a\\\\b'", "a\\\\b"),
                row("single-quoted backslash before the closing quote", "'a\\'", "a\\"),
                row("single-quoted double quote", "'a\"b'", "a\"b"),
                row("single-quoted $ and backtick", "'$x `y`'", "$x `y`"),
                row("single-quoted newline", "'a\nb'", "a\nb"),
                // double quotes: a backslash escapes $ ` " \ only; before anything else it stays
                row("double-quoted blanks", "\"a b\"", "a b"),
                row("double-quoted \\\"", "\"a\\\"b\"", "a\"b"),
                row("double-quoted \\\\", "\"a\\\\b\"", "a\\b"),
                row("double-quoted \\$", "\"a\\$b\"", "a$b"),
                row("double-quoted \\`", "\"a\\`b\"", "a`b"),
                row("double-quoted \\n (backslash, n) stays", "\"a\\nb\"", "a\\nb"),
                row("double-quoted \\' stays", "\"a\\'b\"", "a\\'b"),
                row("double-quoted \\x stays", "\"\\x\"", "\\x"),
                row("double-quoted single quote", "\"a'b\"", "a'b"),
                row("double-quoted newline", "\"a\nb\"", "a\nb"),
                // a backslash outside quotes: the next character as it is
                row("backslash-space joins", "a\\ b", "a b"),
                row("backslash-space alone", "\\ ", " "),
                row("backslash before '", "\\'", "'"),
                row("backslash before \"", "\\\"", "\""),
                row("backslash before backslash", "\\\\", "\\"),
                row("backslash before a letter", "\\a", "a"),
                // quoted and unquoted parts next to each other make one word
                row("a'b'\"c\"", "a'b'\"c\"", "abc"),
                row("\"a\"'b'c", "\"a\"'b'c", "abc"),
                row("quoted blank inside a word", "x'y z'w", "xy zw"),
                row("empty quotes inside a word", "a''b\"\"c", "abc"),
                // empty quotes on their own are an empty argument
                row("''", "''", ""),
                row("\"\"", "\"\"", ""),
                row("'' between words", "a '' b", "a", "", "b"),
                row("'' \"\"", "'' \"\"", "", ""),
                row("'' last", "a ''", "a", ""),
                // behaviour.md 5.1's example: four arguments, the last the JSON
                row("behaviour.md 5.1 JSON",
                        "packet queue add '{\"deveui\":\"00-80-00-ff-ff-00-00-03\",\"data\":\"QA==\"}'",
                        "packet", "queue", "add", "{\"deveui\":\"00-80-00-ff-ff-00-00-03\",\"data\":\"QA==\"}"),
                row("# inside a word", "a#b", "a#b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"asTheShell", "metacharacters", "continuationsAndATrailingBackslash"})
    void splitsAsTheShellDoes(String what, String command, List<String> argv) {
        assertEquals(argv, ShellWords.split(command), command);
    }

    /**
     * Where a shell would run something else, or more (behaviour.md 5.1: no expansion, no operators): these are
     * plain characters of a word, and only spaces and tabs separate words.
     */
    static Stream<Arguments> metacharacters() {
        return Stream.of(
                row("; in a word", "device count;reboot", "device", "count;reboot"),
                row("; alone", "device count ; reboot", "device", "count", ";", "reboot"),
                row("|", "device list | sh", "device", "list", "|", "sh"),
                row("&&", "device count&&reboot", "device", "count&&reboot"),
                row("&", "reboot &", "reboot", "&"),
                row("$(...)", "device $(reboot)", "device", "$(reboot)"),
                row("backticks", "device `reboot`", "device", "`reboot`"),
                row("$ and ${}", "$HOME ${PATH}", "$HOME", "${PATH}"),
                row("double-quoted $(...) and backticks", "\"$(reboot) `id`\"", "$(reboot) `id`"),
                row("a newline", "device count\nreboot", "device", "count\nreboot"),
                row("a newline between blanks", "device \n reboot", "device", "\n", "reboot"),
                row("redirections", "device list >/tmp/x 2>&1 </etc/passwd", "device", "list", ">/tmp/x", "2>&1",
                        "</etc/passwd"),
                row("( ) { }", "(reboot) {a,b}", "(reboot)", "{a,b}"),
                row("globs and ~", "* ?.log [ab] ~", "*", "?.log", "[ab]", "~"),
                row("assignment", "X=1 reboot", "X=1", "reboot"),
                // sh: a word that begins with # starts a comment ("a #b" gives a alone); here it is a word
                row("# at a word's start", "a #b", "a", "#b"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("'ab", "unterminated ' quote"),
                Arguments.of("a'b", "unterminated ' quote"),
                Arguments.of("device 'count", "unterminated ' quote"),
                Arguments.of("\"ab", "unterminated \" quote"),
                Arguments.of("\"a\\\"", "unterminated \" quote"), // \" inside is a quote character, not the end
                Arguments.of("a\"b\\\"", "unterminated \" quote"),
                Arguments.of("'a\"b", "unterminated ' quote"), // " inside '...' does not count
                Arguments.of("\"a'b", "unterminated \" quote"),
                Arguments.of("", "command is empty"),
                Arguments.of("   ", "command is empty"),
                Arguments.of(" \t ", "command is empty"),
                Arguments.of("device\0count", "NUL"));
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("refused")
    void refused(String command, String message) {
        RequestError e = assertThrows(RequestError.class, () -> ShellWords.split(command));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    /**
     * A backslash-newline is a line continuation, outside double quotes and inside them, and disappears. A lone
     * backslash at the very end, which POSIX leaves open, stays as dash and bash -c keep it.
     */
    static Stream<Arguments> continuationsAndATrailingBackslash() {
        return Stream.of(
                row("backslash-newline in a word", "a\\\nb", "ab"),
                row("backslash-newline between words", "a \\\n b", "a", "b"),
                row("backslash-newline inside double quotes", "\"a\\\nb\"", "ab"),
                row("a trailing backslash", "a\\", "a\\"),
                row("a trailing backslash alone", "device count \\", "device", "count", "\\"));
    }
}
