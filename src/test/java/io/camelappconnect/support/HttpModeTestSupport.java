package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelappconnect.http.ServerComponent;
import io.camelappconnect.http.ServerQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;

/**
 * The bridge in HTTP mode (behaviour.md 9) as it runs on a gateway: an LNS broker (embedded Moquette) on one side,
 * a real web server ({@link WebServer}) on the other, reached through a relay a test can cut ({@link TcpProxy}). The
 * URL has a prefix, {@code /iot}. Each test gets a fresh bridge, web server and store (what one test posts is not
 * seen in another); the broker lives for the test class.
 */
public abstract class HttpModeTestSupport extends AppAsConfigured {

    public static final String GW = BridgeTestSupport.GW;
    public static final String APP = BridgeTestSupport.APP;
    /** The paths' start: the URL's prefix, then the protocol's. */
    public static final String API = "/iot/api/v1/lorawan/";
    protected static final ObjectMapper JSON = new ObjectMapper();

    protected static EmbeddedBroker lnsBroker;
    /** Every test's server and relay, closed with the class (the bridge posts close after a test's own cleanup). */
    private static final List<AutoCloseable> CLOSE_AT_END = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** This test's server, made when the bridge's settings are (before the test instance's own fields). */
    protected WebServer server;
    protected TcpProxy toServer;

    protected MqttProbe lns;
    protected final LogCapture log = LogCapture.capture();

    @BeforeAll
    static void startBroker() {
        lnsBroker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBrokerAndServers() throws Exception {
        for (AutoCloseable c : CLOSE_AT_END) {
            c.close();
        }
        CLOSE_AT_END.clear();
        lnsBroker.stop();
    }

    private TcpProxy relay(WebServer web) {
        try {
            web.answer(this::answer);
            TcpProxy relay = new TcpProxy(web.port());
            CLOSE_AT_END.add(web);
            CLOSE_AT_END.add(relay);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The web server of a test: plain HTTP unless a class says otherwise. */
    protected WebServer startServer() {
        return WebServer.start();
    }

    /**
     * What the server answers unless a test says otherwise: init with a poll every second, a poll with no downlinks,
     * anything else with an empty object.
     */
    protected WebServer.Answer answer(WebServer.Request request) {
        if (request.path().endsWith("/init")) {
            return WebServer.Answer.ok("{\"timeout\":5,\"downlink_query_interval\":1}");
        }
        return WebServer.Answer.ok(request.path().endsWith("/down") ? "[]" : "{}");
    }

    @BeforeEach
    void connectProbe() {
        await().alias("the bridge's LNS connection up").atMost(10, TimeUnit.SECONDS)
                .pollInterval(10, TimeUnit.MILLISECONDS)
                .until(() -> context.getComponent("lns", io.camelappconnect.mqtt.MqttComponent.class).connection()
                        .isConnected());
        lns = new MqttProbe(lnsBroker.url());
    }

    @AfterEach
    void closeProbe() {
        lns.close();
        toServer.refuse(false);
        toServer.hold(false);
        toServer.silent(false);
        server.answer(this::answer);
        log.close();
    }

    @Override
    protected void settings(Properties p) {
        if (server == null) {
            server = startServer();
            toServer = relay(server);
        }
        p.setProperty("app.url", (server.tls() ? "https" : "http") + "://127.0.0.1:" + toServer.port() + "/iot");
        p.setProperty("lns.url", lnsBroker.url());
        p.setProperty("gateway.uuid", GW);
        p.setProperty("gateway.serial", "18581234");
        p.setProperty("gateway.euis", "00-80-00-00-d0-00-01-1a,00800000d00001ff");
        p.setProperty("mqtt.reconnect.initialDelay", "100");
        p.setProperty("mqtt.reconnect.maxDelay", "500");
        p.setProperty("http.retry.initialDelay", "100");
        p.setProperty("http.retry.maxDelay", "500");
        p.setProperty("store.dir", storeDir().toString());
        properties(p);
    }

    /** A test class's own settings on top of the defaults above. */
    protected void properties(Properties p) {
    }

    protected ServerQueue queue() {
        return context.getComponent("server", ServerComponent.class).queue();
    }

    /** Waits until at least {@code count} requests whose path ends with {@code suffix} have arrived; those. */
    protected List<WebServer.Request> awaitRequests(String suffix, int count, int seconds) {
        await().alias(count + " requests to ..." + suffix).atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(20)).until(() -> server.requestsTo(suffix).size() >= count);
        return server.requestsTo(suffix);
    }

    /**
     * The fcnt of each uplink the server answered 200 to, in the order it got them (a batch's in its order), once
     * there are at least {@code count}.
     */
    protected List<Integer> awaitTaken(int count, int seconds) {
        await().alias(count + " uplinks taken").atMost(Duration.ofSeconds(seconds))
                .pollInterval(Duration.ofMillis(50)).until(() -> taken().size() >= count);
        return taken();
    }

    protected List<Integer> taken() {
        return server.requestsTo("/up").stream().filter(r -> r.answered() == 200)
                .flatMap(r -> {
                    JsonNode body = json(r.body());
                    return body.isArray() ? StreamSupport.stream(body.spliterator(), false) : Stream.of(body);
                })
                .map(b -> b.get("fcnt").asInt()).toList();
    }

    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected static String uplink(String app, String dev, int fcnt) {
        return BridgeTestSupport.uplink(app, dev, fcnt);
    }

}
