package io.camelappconnect.mqtt;

import java.util.LinkedHashSet;
import java.util.Set;

/** A connection failure in one line: Paho wraps the cause that says what to fix (refused, TLS, auth). */
final class Causes {

    private Causes() {
    }

    static String describe(Throwable error) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = error; t != null && parts.size() < 4; t = t.getCause()) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            parts.add(text);
        }
        return String.join(": ", parts);
    }
}
