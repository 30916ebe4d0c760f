package io.camelappconnect.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import io.camelappconnect.operations.Redact;

/**
 * A web server's URL as mPower writes it (behaviour.md 9): {@code http://} (port 80) or {@code https://} (443), its
 * path a prefix of every request's ({@code https://host:8443/iot} gives {@code /iot/api/v1/...}).
 *
 * @param prefix the path without a trailing slash ("" when none)
 */
public record ServerUrl(boolean tls, String host, int port, String prefix) {

    /** Whether the URL names a web server rather than a broker. */
    public static boolean isHttp(String url) {
        String u = url == null ? "" : url.trim().toLowerCase(Locale.ROOT);
        return u.startsWith("http://") || u.startsWith("https://");
    }

    /** @throws IllegalArgumentException naming the key and what is wrong */
    public static ServerUrl parse(String key, String url) {
        String shown = Redact.text(url); // a message never carries the URL's login
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + "=" + shown + " is not a URL: " + Redact.text(e.getMessage()));
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException(key + "=" + shown + " has no host name");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(key + "=" + shown + ": a web server's URL is scheme, host, port and a path"
                    + " prefix, without a query, a fragment or a login");
        }
        boolean tls = uri.getScheme().equalsIgnoreCase("https");
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return new ServerUrl(tls, uri.getHost(), uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort(), path);
    }

    /** As camel-http takes it: each request's path is appended to it. */
    @Override
    public String toString() {
        return (tls ? "https" : "http") + "://" + host + ":" + port + prefix; // an IPv6 host keeps its brackets
    }
}
