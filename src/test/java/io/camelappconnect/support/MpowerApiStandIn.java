package io.camelappconnect.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for MultiTech's mPower REST API on a free loopback port: the protocol document's API request
 * examples, answered in mPower's envelope {@code {"code":200,"result":...,"status":"success"}}, plus a few
 * {@code /api/test/...} paths for failures (slow, dropped connection, non-JSON answer). Every request is
 * recorded, including those answered 401 or dropped.
 */
public final class MpowerApiStandIn implements AutoCloseable {

    /** A request as received: the raw path and query, the body as UTF-8, header names lower-cased. */
    public record Recorded(String method, String pathAndQuery, String body, Map<String, String> headers) {
    }

    public static final String WHITELISTED_DEVEUI = "00800000FFFF0001";
    private static final String WHITELIST = "/api/loraNetwork/whitelist/devices";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService pool;
    /** The expected Authorization header, or null when any request is let in. */
    private final String authorization;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong bigSent = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean bigEnded;
    /** What GET /api/loraNetwork/defaultApp answers in the envelope: mPower's Cloud Connector settings. */
    private volatile String defaultApp = "{}";
    /** When set, one of the /api/test/ paths (with its query) that the calls made at start are answered as. */
    private volatile String startAnswer;

    private MpowerApiStandIn(String authorization) throws IOException {
        this.authorization = authorization;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "mpower-api-stand-in-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A stand-in that answers every request, without authentication. */
    public static MpowerApiStandIn start() {
        return create(null);
    }

    /** A stand-in that answers 401 to every request without this user's HTTP Basic credentials. */
    public static MpowerApiStandIn start(String username, String password) {
        String credentials = username + ":" + password;
        return create("Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }

    private static MpowerApiStandIn create(String authorization) {
        try {
            return new MpowerApiStandIn(authorization);
        } catch (IOException e) {
            throw new IllegalStateException("can't start the mPower API stand-in", e);
        }
    }

    /** The origin, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Every request received so far, oldest first. */
    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** The Cloud Connector settings to answer, as the protocol document's "Application configuration" JSON. */
    public void defaultApp(String json) {
        this.defaultApp = json;
    }

    /**
     * The calls the bridge makes at start (defaultApp, accessoryCards) are answered as {@code testPath} is, e.g.
     * {@code /api/test/big?mib=50} or {@code /api/test/endless}; null: as themselves.
     */
    public void answerStartCallsAs(String testPath) {
        startAnswer = testPath;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            String body = readBody(exchange);
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
            requests.add(new Recorded(method, path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                    body, Map.copyOf(headers)));

            if (authorization != null && !authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                fail(exchange, 401, "Unauthorized");
                return;
            }
            String instead = startAnswer;
            if (instead != null && (path.equals("/api/loraNetwork/defaultApp") || path.equals("/api/system/accessoryCards"))) {
                uri = URI.create(instead);
                path = uri.getRawPath();
            }
            switch (method + " " + path) {
                case "GET /api/loraNetwork" -> success(exchange, JSON.readTree(
                        "{\"__v\":1,\"addressRange\":{\"end\":\"FF:FF:FF:FE\",\"start\":\"00:00:00:01\"},"
                                + "\"lora\":{\"channelPlan\":\"US915\"}}"));
                case "PUT /api/loraNetwork/lora" -> {
                    JsonNode parsed = parse(body);
                    if (parsed == null) {
                        fail(exchange, 400, "body is not JSON");
                    } else {
                        success(exchange, parsed);
                    }
                }
                case "GET " + WHITELIST -> success(exchange, JSON.readTree("[{\"deveui\":\"" + WHITELISTED_DEVEUI
                        + "\",\"appeui\":\"0080000000000017\",\"class\":\"A\"}]"));
                case "POST " + WHITELIST, "POST /api/lora/restart", "POST /api/command/save_apply" ->
                        success(exchange, null);
                case "GET /api/loraNetwork/defaultApp" -> success(exchange, JSON.readTree(defaultApp));
                case "GET /api/system/accessoryCards" -> success(exchange, JSON.readTree(
                        "[{\"eui\":\"00:80:00:00:D0:00:01:FF\",\"port\":\"ap1\",\"productId\":\"MTAC-LORA-H-915\"}]"));
                case "GET /api/test/slow" -> {
                    Thread.sleep(slowMillis(uri.getRawQuery())); // the time is the point: a slow API
                    success(exchange, null);
                }
                case "GET /api/test/drop" -> {
                    // closed by try-with-resources before any response header: the client sees the connection
                    // end without a response
                }
                case "GET /api/test/text" -> send(exchange, 200, "text/plain; charset=utf-8", "hello");
                case "GET /api/test/big" -> big(exchange, Integer.parseInt(uri.getRawQuery().replace("mib=", "")));
                case "GET /api/test/endless" -> endless(exchange);
                default -> {
                    String device = path.startsWith(WHITELIST + "/") ? path.substring(WHITELIST.length() + 1) : null;
                    if ("DELETE".equals(method) && device != null) {
                        if (device.equals("0") || device.equalsIgnoreCase(WHITELISTED_DEVEUI)) {
                            success(exchange, null);
                        } else {
                            fail(exchange, 404, "device not found");
                        }
                    } else {
                        fail(exchange, 404, "Not Found");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the connection goes without an answer
        }
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** {@code ms=N} from the query; 0 when absent or not a number. */
    private static long slowMillis(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("ms=")) {
                    try {
                        return Math.max(0, Long.parseLong(pair.substring(3)));
                    } catch (NumberFormatException e) {
                        return 0;
                    }
                }
            }
        }
        return 0;
    }

    /** Bytes of the last /api/test/big answer written before the client went (all of it: mib MiB); -1 while writing. */
    public long bigAnswerSent() {
        return bigEnded ? bigSent.get() : -1;
    }

    /**
     * An answer that starts and never ends: a byte a second, so that no single read waits long enough to time out.
     * It ends when the client goes (the write fails) or the stand-in closes.
     */
    private static void endless(HttpExchange exchange) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0); // chunked: no length, no end
        OutputStream out = exchange.getResponseBody();
        out.write("{\"code\":200,".getBytes(StandardCharsets.US_ASCII));
        while (true) {
            out.flush();
            TimeUnit.SECONDS.sleep(1); // the time is the point: a trickle
            out.write(' ');
        }
    }

    /** A JSON answer of {@code mib} MiB, in the envelope, streamed in 64 KiB writes and counted as they go. */
    private void big(HttpExchange exchange, int mib) throws IOException {
        bigSent.set(0);
        bigEnded = false;
        byte[] head = "{\"code\":200,\"status\":\"success\",\"result\":\"".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'a');
        long length = head.length + (long) mib * 16 * chunk.length + tail.length;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            for (int i = 0; i < mib * 16; i++) {
                out.write(chunk);
                bigSent.addAndGet(chunk.length);
            }
            out.write(tail);
        } finally {
            bigEnded = true;
        }
    }

    private static void success(HttpExchange exchange, JsonNode result) throws IOException {
        ObjectNode answer = JSON.createObjectNode().put("code", 200);
        if (result != null) {
            answer.set("result", result);
        }
        answer.put("status", "success");
        send(exchange, 200, "application/json", JSON.writeValueAsString(answer));
    }

    private static void fail(HttpExchange exchange, int code, String error) throws IOException {
        ObjectNode answer = JSON.createObjectNode().put("code", code).put("error", error).put("status", "fail");
        send(exchange, code, "application/json", JSON.writeValueAsString(answer));
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
