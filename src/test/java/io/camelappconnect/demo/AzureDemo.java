package io.camelappconnect.demo;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.camelappconnect.support.AzureHubStandIn;

/**
 * {@code mvn -q -Pdemo -Ddemo.azure}: the cloud is an Azure IoT Hub stand-in (behaviour.md 12), and the bridge is
 * one of its devices. The hub's service side prints what it gets: each D2C message, and each connect with its SAS
 * token's expiry (a short azure.tokenTtl, so that a watcher sees the bridge renew it). After the first uplink it
 * sends one C2D downlink and invokes the direct methods lora_req and log_req once.
 */
final class AzureDemo implements AutoCloseable {

    private static final String DEVICE_ID = "conduit-18581234";
    /** The bridge renews at 85 % of it: a new connection every ~100 s. */
    private static final String TOKEN_TTL_SECONDS = "120";
    private static final Duration METHOD_TIMEOUT = Duration.ofSeconds(10);
    private static final int PRINTED_CHARS = 300;

    private final AzureHubStandIn hub;
    private final String device;
    /** One thread reads the hub, the other acts as its service: an invocation waits for its answer. */
    private final ScheduledExecutorService service = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "hub service");
        t.setDaemon(true);
        return t;
    });
    private final List<Feed<?>> feeds = new ArrayList<>();
    private boolean serviceStarted;

    private AzureDemo(AzureHubStandIn hub, String device) {
        this.hub = hub;
        this.device = device;
        // in the order they happen: a connect, then the messages on it, then its end
        feeds.add(new Feed<>(hub::tokens, token -> System.out.println("hub: a connect with a SAS token valid until "
                + token.expiry() + (token.accepted() ? ": accepted" : ": refused"))));
        feeds.add(new Feed<>(hub::refusals, why -> System.out.println("hub refused a connect: " + why)));
        feeds.add(new Feed<>(hub::d2c, this::received));
        feeds.add(new Feed<>(hub::closures, why -> System.out.println("hub closed the connection: " + why)));
    }

    /**
     * Starts the hub for a device key made now (random, never printed) and sets the bridge's cloud settings to it;
     * {@code device} is the simulated device the C2D downlink is for.
     */
    static AzureDemo start(String device) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        AzureHubStandIn hub = AzureHubStandIn.start("127.0.0.1", DEVICE_ID, key);
        // these must match the hub, so a -D on the command line does not change them
        System.setProperty("app.options.cloudService", "AZURE");
        System.setProperty("app.options.client_id", DEVICE_ID);
        System.setProperty("app.options.sharedAccessKey", Base64.getEncoder().encodeToString(key));
        System.setProperty("app.options.server_cert", hub.caPem());
        Demo.defaultProperty("azure.tokenTtl", TOKEN_TTL_SECONDS);
        // a store of its own: messages the plain demo kept for lorawan/... would be refused by the hub
        Demo.defaultProperty("store.dir", "target/demo-azure-store");
        AzureDemo demo = new AzureDemo(hub, device);
        demo.service.scheduleWithFixedDelay(demo::drain, 200, 200, TimeUnit.MILLISECONDS);
        return demo;
    }

    String url() {
        return hub.url();
    }

    void banner() {
        System.out.println();
        System.out.println("camel-app-connect demo in Azure IoT Hub mode: the bridge is device " + DEVICE_ID + " of a"
                + " stand-in hub at " + hub.url() + " (TLS, the hub's rules enforced), with SAS tokens it makes from a"
                + " random device key and renews every ~" + Integer.parseInt(TOKEN_TTL_SECONDS) * 85 / 100 + " s.");
        System.out.println("The hub's service side prints below what it gets; after the first uplink it sends " + device
                + " a C2D downlink and invokes the direct methods lora_req and log_req once.");
        System.out.println("Ctrl-C stops the demo.");
        System.out.println();
    }

    /** Stops reading the hub, after printing what it got last (the bridge's close message), then stops the hub. */
    @Override
    public void close() {
        service.shutdownNow();
        try {
            service.awaitTermination(METHOD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drain();
        hub.close();
    }

    private void drain() {
        feeds.forEach(Feed::drain);
    }

    private void received(AzureHubStandIn.D2c message) {
        System.out.println("hub got D2C " + message.properties() + ": "
                + (message.payload().length == 0 ? "(empty)" : cut(message.text())));
        if ("up".equals(message.properties().get("event")) && !serviceStarted) {
            serviceStarted = true;
            service.execute(this::actAsTheService);
        }
    }

    private void actAsTheService() {
        String downlink = "{\"deveui\":\"" + device + "\",\"data\":\"QA==\",\"port\":1}";
        System.out.println("hub sends C2D: " + downlink);
        hub.sendC2d(Map.of(), downlink.getBytes(StandardCharsets.UTF_8));
        invoke("lora_req", "{\"command\":\"device count\"}");
        invoke("log_req", "{\"file\":\"messages\",\"lines\":5,\"filter\":\"lora\"}");
    }

    private void invoke(String method, String payload) {
        System.out.println("hub invokes " + method + " " + payload);
        AzureHubStandIn.MethodResult result = hub.invokeMethod(method, payload, METHOD_TIMEOUT);
        System.out.println("hub got " + method + "'s answer: status " + result.status() + " " + cut(result.body()));
    }

    private static String cut(String text) {
        return text.length() > PRINTED_CHARS ? text.substring(0, PRINTED_CHARS) + "..." : text;
    }

    /** What the hub has recorded in one of its lists, printed once each. Read from one thread at a time. */
    private static final class Feed<T> {
        private final Supplier<List<T>> all;
        private final Consumer<T> print;
        private int printed;

        Feed(Supplier<List<T>> all, Consumer<T> print) {
            this.all = all;
            this.print = print;
        }

        void drain() {
            List<T> now = all.get();
            for (; printed < now.size(); printed++) {
                print.accept(now.get(printed));
            }
        }
    }
}
