package io.camelappconnect.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One EUI's allow and deny lists ({@code app.filter.deveui.allow}, {@code .deny}), as MultiTech's lora-mqtt-bridge
 * has them: an entry is an EUI, a range {@code [min,max]} (both ends in) or a mask with {@code x} for any hex digit
 * ({@code 00-11-22-xx-xx-xx-xx-xx}). An EUI passes when no deny entry matches it and, if there is an allow list, an
 * allow entry does: deny wins. Empty lists: every EUI passes.
 */
public final class EuiFilter {

    /** Every EUI passes. */
    public static final EuiFilter NONE = new EuiFilter(List.of(), List.of());

    /**
     * 16 hex digits (or x), with or without one {@code -} or {@code :} between the byte pairs, as
     * {@link io.camelappconnect.message.Eui#normalise} takes an EUI.
     */
    private static final Pattern EUI = Pattern.compile("(?i)[0-9a-fx]{2}(?:[-:]?[0-9a-fx]{2}){7}");
    private static final Pattern RANGE = Pattern.compile("\\[([^\\[\\],]*),([^\\[\\],]*)]");

    private final List<Entry> allow;
    private final List<Entry> deny;

    private EuiFilter(List<Entry> allow, List<Entry> deny) {
        this.allow = allow;
        this.deny = deny;
    }

    /**
     * @param allowKey the key the allow list came from, named in an error; {@code denyKey} the deny list's
     * @throws IllegalArgumentException naming the key and the entry that is not an EUI, a range or a mask
     */
    public static EuiFilter parse(String allowKey, String allow, String denyKey, String deny) {
        List<Entry> allowed = entries(allowKey, allow);
        List<Entry> denied = entries(denyKey, deny);
        return allowed.isEmpty() && denied.isEmpty() ? NONE : new EuiFilter(allowed, denied);
    }

    public boolean isEmpty() {
        return this == NONE;
    }

    /** @param eui as {@code deviceEuis} normalised it ({@code 00-80-00-ff-ff-00-00-03}) */
    public boolean allows(String eui) {
        long value = value(eui);
        for (Entry e : deny) {
            if (e.matches(value)) {
                return false;
            }
        }
        if (allow.isEmpty()) {
            return true;
        }
        for (Entry e : allow) {
            if (e.matches(value)) {
                return true;
            }
        }
        return false;
    }

    /** An EUI as its 64 bits. */
    static long value(String eui) {
        return Long.parseUnsignedLong(eui.replace("-", "").replace(":", ""), 16);
    }

    /** A comma-separated list, a range's comma inside its brackets. */
    static List<Entry> entries(String key, String text) {
        List<Entry> out = new ArrayList<>();
        String rest = text == null ? "" : text.trim();
        while (!rest.isEmpty()) {
            String item;
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                item = close < 0 ? rest : rest.substring(0, close + 1);
            } else {
                int comma = rest.indexOf(',');
                item = comma < 0 ? rest : rest.substring(0, comma);
            }
            out.add(entry(key, item.trim()));
            rest = rest.substring(item.length()).trim();
            if (rest.startsWith(",")) {
                rest = rest.substring(1).trim();
                if (rest.isEmpty()) {
                    throw bad(key, text, "a comma with no entry after it");
                }
            } else if (!rest.isEmpty()) {
                throw bad(key, rest, "a comma must come between two entries");
            }
        }
        return List.copyOf(out);
    }

    private static Entry entry(String key, String item) {
        if (item.isEmpty()) {
            throw bad(key, item, "an empty entry");
        }
        if (item.startsWith("[")) {
            Matcher range = RANGE.matcher(item);
            if (!range.matches()) {
                throw bad(key, item, "a range is [min,max], two EUIs");
            }
            long min = exact(key, item, range.group(1).trim());
            long max = exact(key, item, range.group(2).trim());
            if (Long.compareUnsigned(min, max) > 0) {
                throw bad(key, item, "the range's min is above its max");
            }
            return new Entry(-1L, min, max);
        }
        if (!EUI.matcher(item).matches()) {
            throw bad(key, item, "not an EUI (16 hex digits, '-' or ':' between pairs optional), nor a mask (x for"
                    + " any digit), nor a range [min,max]");
        }
        String digits = item.replace("-", "").replace(":", "").toLowerCase(Locale.ROOT);
        long mask = Long.parseUnsignedLong(digits.replaceAll("[0-9a-f]", "f").replace('x', '0'), 16);
        long value = Long.parseUnsignedLong(digits.replace('x', '0'), 16);
        return new Entry(mask, value, value);
    }

    private static long exact(String key, String range, String eui) {
        if (!EUI.matcher(eui).matches() || eui.toLowerCase(Locale.ROOT).contains("x")) {
            throw bad(key, range, "'" + eui + "' is not an EUI (a range's ends are EUIs, no mask)");
        }
        return value(eui);
    }

    private static IllegalArgumentException bad(String key, String part, String why) {
        return new IllegalArgumentException(key + ": '" + part + "': " + why);
    }

    /** The EUI's bits under {@code mask}, from {@code min} to {@code max}: an EUI, a mask or a range. */
    record Entry(long mask, long min, long max) {
        boolean matches(long eui) {
            long bits = eui & mask;
            return Long.compareUnsigned(bits, min) >= 0 && Long.compareUnsigned(bits, max) <= 0;
        }
    }
}
