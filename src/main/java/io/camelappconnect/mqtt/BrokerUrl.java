package io.camelappconnect.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Broker URLs as mPower writes them, turned into the form Paho takes: {@code mqtt://} and {@code tcp://}
 * (port 1883 when none), {@code mqtts://} and {@code ssl://} (8883), {@code ws://}, {@code wss://} with an
 * optional path.
 */
public final class BrokerUrl {

    private BrokerUrl() {
    }

    /** @throws IllegalArgumentException naming the configuration key and what is wrong */
    public static String toPaho(String key, String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(key + " is empty: set the broker URL, e.g. mqtts://broker.example.com:8883");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + "=" + url + " is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(key + "=" + url + " has no host name");
        }
        String host = uri.getHost();
        switch (scheme) {
            case "mqtt", "tcp":
                return "tcp://" + host + ":" + port(uri, 1883);
            case "mqtts", "ssl":
                return "ssl://" + host + ":" + port(uri, 8883);
            case "ws", "wss":
                return scheme + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                        + (uri.getRawPath() == null ? "" : uri.getRawPath());
            default:
                throw new IllegalArgumentException(key + "=" + url
                        + ": scheme must be mqtt, mqtts, tcp, ssl, ws or wss");
        }
    }

    private static int port(URI uri, int otherwise) {
        return uri.getPort() < 0 ? otherwise : uri.getPort();
    }
}
