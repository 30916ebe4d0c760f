package io.camelappconnect.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs from the bridge's management endpoint (/observe/...) on 127.0.0.1. */
public final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET until it answers {@code status}; the last answer, whatever it was, after {@code seconds}. */
    public static HttpResponse<String> awaitStatus(int port, String path, int status, double seconds)
            throws IOException, InterruptedException {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        HttpResponse<String> last = get(port, path);
        while (last.statusCode() != status && System.nanoTime() < end) {
            Thread.sleep(50);
            last = get(port, path);
        }
        return last;
    }
}
