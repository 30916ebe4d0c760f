package io.camelappconnect.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

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
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>(get(port, path));
        if (last.get().statusCode() != status) {
            try {
                await().alias(path + " answering " + status).atMost(Duration.ofMillis((long) (seconds * 1000)))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> {
                            last.set(get(port, path));
                            return last.get().statusCode() == status;
                        });
            } catch (ConditionTimeoutException e) {
                // the caller checks the last answer, whose status and body say what was wrong
            }
        }
        return last.get();
    }
}
