package io.camelappconnect.mqtt;

/** MQTT topic filters ({@code +} one level, {@code #} the rest), for handing a message to its subscriptions. */
final class Topics {

    private Topics() {
    }

    /** Whether {@code topic} matches {@code filter}, as a broker matches them (MQTT 3.1.1, 4.7). */
    static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0;
        int fl = filter.length();
        int tl = topic.length();
        while (f < fl) {
            char c = filter.charAt(f);
            if (c == '#') {
                return true; // the parent level too: "a/#" matches "a"
            }
            if (c == '+') {
                while (t < tl && topic.charAt(t) != '/') {
                    t++;
                }
                f++;
            } else {
                if (t >= tl || topic.charAt(t) != c) {
                    // "a/#" matches "a": the filter's "/#" against the topic's end
                    return t == tl && c == '/' && f + 2 == fl && filter.charAt(f + 1) == '#';
                }
                f++;
                t++;
            }
        }
        return t == tl;
    }
}
