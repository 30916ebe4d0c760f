package io.camelappconnect.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.camelappconnect.operations.Redact;

/**
 * A broker URL as mPower writes it: {@code mqtt://} and {@code tcp://} (port 1883 when none), {@code mqtts://} and
 * {@code ssl://} (8883), {@code ws://} (80) and {@code wss://} (443) with an optional path.
 *
 * @param path the WebSocket path, without its leading slash ("" when none)
 */
public record BrokerUrl(String host, int port, boolean tls, boolean websocket, String path) {

    /** @throws IllegalArgumentException naming the configuration key and what is wrong */
    public static BrokerUrl parse(String key, String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(key + " is empty: set the broker URL, e.g. mqtts://broker.example.com:8883");
        }
        String shown = Redact.text(url); // a message never carries the URL's login
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + "=" + shown + " is not a URL: " + Redact.text(e.getMessage()));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(key + "=" + shown + " has no host name");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        return switch (scheme) {
            case "mqtt", "tcp" -> new BrokerUrl(uri.getHost(), port(uri, 1883), false, false, "");
            case "mqtts", "ssl" -> new BrokerUrl(uri.getHost(), port(uri, 8883), true, false, "");
            case "ws" -> new BrokerUrl(uri.getHost(), port(uri, 80), false, true, path);
            case "wss" -> new BrokerUrl(uri.getHost(), port(uri, 443), true, true, path);
            default -> throw new IllegalArgumentException(key + "=" + shown + ": scheme must be mqtt, mqtts, tcp, ssl, ws or wss");
        };
    }

    /** As the log shows it: {@code tcp://}, {@code ssl://}, {@code ws://} or {@code wss://}, host, port, path. */
    @Override
    public String toString() {
        String scheme = websocket ? (tls ? "wss" : "ws") : (tls ? "ssl" : "tcp");
        return scheme + "://" + host + ":" + port + (path.isEmpty() ? "" : "/" + path);
    }

    private static int port(URI uri, int otherwise) {
        return uri.getPort() < 0 ? otherwise : uri.getPort();
    }
}
