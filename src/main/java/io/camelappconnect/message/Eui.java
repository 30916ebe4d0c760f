package io.camelappconnect.message;

/** EUI-64 in the protocol's form: lower-case, dash-separated ({@code 00-80-00-ff-ff-00-00-03}). */
public final class Eui {

    /** The AppEUI that stands for "every application" in {@code app.eui}. */
    public static final String ANY = "ff-ff-ff-ff-ff-ff-ff-ff";

    private Eui() {
    }

    /**
     * Normalises {@code 0080...}, {@code 00:80:...}, {@code 00-80-...} in any case.
     *
     * @throws BadMessage when the text is not 16 hex digits, with or without separators
     */
    public static String normalise(String text) {
        if (text == null) {
            throw new BadMessage("EUI missing");
        }
        if (isNormal(text)) {
            return text; // as the LNS writes them: nothing to build, on every uplink
        }
        StringBuilder out = new StringBuilder(23);
        int digits = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean afterPair = digits > 0 && digits % 2 == 0 && digits < 16 && Character.digit(text.charAt(i - 1), 16) >= 0;
            if ((c == '-' || c == ':') && afterPair) {
                continue; // one separator between byte pairs
            }
            int v = Character.digit(c, 16);
            if (v < 0 || digits == 16) {
                throw new BadMessage("'" + abbreviate(text) + "' is not an EUI (16 hex digits)");
            }
            if (digits > 0 && digits % 2 == 0) {
                out.append('-');
            }
            out.append(Character.forDigit(v, 16));
            digits++;
        }
        if (digits != 16) {
            throw new BadMessage("'" + abbreviate(text) + "' is not an EUI (16 hex digits)");
        }
        return out.toString();
    }

    private static boolean isNormal(String text) {
        if (text.length() != 23) {
            return false;
        }
        for (int i = 0; i < 23; i++) {
            char c = text.charAt(i);
            boolean ok = i % 3 == 2 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
