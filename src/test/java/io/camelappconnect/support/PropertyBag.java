package io.camelappconnect.support;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** An IoT Hub property bag ({@code k=v&k2=v2} at a topic's end), URL-encoded and decoded as the hub does. */
final class PropertyBag {

    private PropertyBag() {
    }

    /** URL-encoded with a space as %20: URLEncoder's '+' is MQTT's wildcard, which no topic may hold. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    /** A property bag ({@code k=v&k2=v2}, URL-encoded) as a map; a key without {@code =} has an empty value. */
    static Map<String, String> decodeBag(String bag) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : bag.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                properties.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Collections.unmodifiableMap(properties);
    }
}
