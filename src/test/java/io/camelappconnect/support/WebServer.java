package io.camelappconnect.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * A real web server over TCP for HTTP mode (behaviour.md 9), in the test's JVM: it records every request and answers
 * as the test says (by default 200 with an empty JSON object). Over HTTPS it can require a client certificate.
 */
public final class WebServer implements AutoCloseable {

    /** A request as it arrived, and the status it was answered with once the answer went out (0 until then). */
    public record Request(String method, String path, String body, String contentType, long nanos, AtomicInteger status) {
        public int answered() {
            return status.get();
        }
    }

    /** What to answer: a status, a body, and how long to wait first. */
    public record Answer(int status, String body, long delayMs) {
        public static Answer ok(String body) {
            return new Answer(200, body, 0);
        }
    }

    static {
        // the JDK's server writes an answer's head and body apart: without this, Nagle holds the body until the
        // client's delayed ACK, 40 ms a request
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final boolean tls;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Request, Answer> answers = r -> Answer.ok("{}");

    private WebServer(HttpServer server, boolean tls) {
        this.server = server;
        this.tls = tls;
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> { // a held answer holds nothing else
            Thread t = new Thread(r, "web server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static WebServer start() {
        try {
            return new WebServer(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50), false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HTTPS with this server's certificate; {@code clientCertificate}: a client without one is refused. */
    public static WebServer startTls(SSLContext context, boolean clientCertificate) {
        try {
            HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
            https.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters params) {
                    params.setNeedClientAuth(clientCertificate);
                }
            });
            return new WebServer(https, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean tls() {
        return tls;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><prefix>} */
    public String url(String prefix) {
        return (tls ? "https" : "http") + "://127.0.0.1:" + port() + prefix;
    }

    public void answer(Function<Request, Answer> answers) {
        this.answers = answers;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(Predicate<Request> which) {
        return requests.stream().filter(which).toList();
    }

    /** Requests whose path ends with {@code suffix}. */
    public List<Request> requestsTo(String suffix) {
        return requests(r -> r.path().endsWith(suffix));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Content-Type"), System.nanoTime(), new AtomicInteger());
            requests.add(request);
            Answer answer = answers.apply(request);
            if (answer.delayMs() > 0) {
                Thread.sleep(answer.delayMs());
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            request.status().set(answer.status());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
