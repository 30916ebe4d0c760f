package io.camelappconnect.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelappconnect.Main;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.MpowerApiStandIn;
import io.camelappconnect.support.WebServer;

/**
 * {@code mvn -q -Pdemo}: the bridge between one embedded broker and a simulated network server, to watch and
 * command with mosquitto_sub and mosquitto_pub. The one broker serves as both the LNS broker and the cloud
 * broker: their topics ({@code lora/...}, {@code lorawan/...}) don't overlap. {@code -Ddemo.http}: the cloud is a web
 * server; {@code -Ddemo.azure}: an Azure IoT Hub stand-in ({@link AzureDemo}).
 */
public final class Demo {

    /** The protocol document's example GW-UUID, so that its example topics work as written. */
    private static final String GW_UUID = "029998e0-6156-cdd4-4523-264b523115c1";
    static final String DEVICE = "00-80-00-ff-ff-00-00-01";
    /** Stand-ins for the gateway's lora-query and /var/log, relative to the project root (the working directory). */
    private static final Path LORA_QUERY = Path.of("src/test/resources/bin/lora-query");
    private static final Path LOGS = Path.of("src/test/resources/demo-logs");
    /** Camel's shutdownTimeout (10 s) plus the cloud connection's disconnect quiesce (5 s), and some slack. */
    private static final long STOP_WAIT_MS = 20_000;

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.getInteger("demo.port", 1883);
        String url = "tcp://127.0.0.1:" + port;
        // asked first: Moquette logs a whole stack trace before it fails
        if (!isFree(port)) {
            System.err.println("Port " + port + " on 127.0.0.1 is already in use: stop what listens there, or choose"
                    + " another port with: mvn -q -Pdemo -Ddemo.port=1884");
            System.exit(1);
        }
        EmbeddedBroker broker = new EmbeddedBroker(port);
        broker.restart();
        MpowerApiStandIn mpower = MpowerApiStandIn.start();
        // -Ddemo.http: the cloud is a web server (HTTP mode, behaviour.md 9) that prints what it gets
        WebServer web = System.getProperty("demo.http") == null ? null : webServer();
        // -Ddemo.azure: the cloud is an Azure IoT Hub (behaviour.md 12), whose service side prints what it gets
        AzureDemo azure = System.getProperty("demo.azure") == null ? null : AzureDemo.start(DEVICE);

        // -D on the command line wins
        defaultProperty("app.url", web != null ? web.url("/demo") : azure != null ? azure.url() : url);
        defaultProperty("lns.url", url);
        defaultProperty("gateway.uuid", GW_UUID);
        defaultProperty("gateway.serial", "18581234");
        defaultProperty("gateway.euis", NetworkServerSimulator.GATEWAY_EUI);
        // the cloud's requests (behaviour.md 5), against stand-ins for lora-query, /var/log and the mPower API
        defaultProperty("mpower.url", mpower.url());
        defaultProperty("loraQuery.command", LORA_QUERY.toAbsolutePath().toString());
        defaultProperty("logs.dir", LOGS.toAbsolutePath().toString());
        defaultProperty("app.requestOptions.lora", "true");
        defaultProperty("app.requestOptions.api", "true");
        defaultProperty("app.requestOptions.log", "true");
        if (azure != null) {
            azure.banner();
        } else if (web == null) {
            banner(port, System.getProperty("gateway.uuid"), System.getProperty("logs.dir"));
        } else {
            System.out.println();
            System.out.println("camel-app-connect demo in HTTP mode: the bridge posts to a web server at " + web.url("/demo")
                    + ", which prints each request below and answers the first uplink with a downlink for " + DEVICE + ".");
            System.out.println("Ctrl-C stops the demo.");
            System.out.println();
        }

        NetworkServerSimulator simulator = new NetworkServerSimulator(url);
        simulator.startWhen(() -> broker.subscriptions().stream().anyMatch(s -> s.endsWith(" lora/+/joined")));

        // On Ctrl-C, Camel stops the bridge from its own shutdown hook and Main.main returns. The broker must
        // outlive the bridge (it publishes `close`, then disconnects), so the cleanup runs after Main.main and
        // this hook only keeps the JVM up until it is done.
        Thread demo = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                demo.join(STOP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "demo shutdown"));
        try {
            Main.main(args);
        } finally {
            simulator.close();
            broker.stop();
            mpower.close();
            if (web != null) {
                web.close();
            }
            if (azure != null) {
                azure.close();
            }
        }
    }

    /** Prints each request; the first uplink's answer is a downlink (behaviour.md 9: answers may carry them). */
    private static WebServer webServer() {
        WebServer web = WebServer.start();
        AtomicBoolean downlinkSent = new AtomicBoolean();
        web.answer(request -> {
            String body = request.body().length() > 300 ? request.body().substring(0, 300) + "..." : request.body();
            System.out.println("web server got: " + request.method() + " " + request.path() + " " + body);
            if (request.path().endsWith("/up") && downlinkSent.compareAndSet(false, true)) {
                String downlink = "{\"deveui\":\"" + DEVICE + "\",\"data\":\"QA==\",\"port\":1}";
                System.out.println("web server answers: " + downlink);
                return WebServer.Answer.ok(downlink);
            }
            return WebServer.Answer.ok(request.path().endsWith("/down") ? "[]" : "{}");
        });
        return web;
    }

    private static boolean isFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void banner(int port, String gwUuid, String logsDir) {
        String host = "-h 127.0.0.1 -p " + port;
        System.out.println();
        System.out.println("camel-app-connect demo: broker on 127.0.0.1:" + port
                + " (network server on lora/#, cloud on lorawan/#), 3 simulated devices.");
        System.out.println("In another terminal, watch what the bridge sends to the cloud:");
        System.out.println("  mosquitto_sub " + host + " -t 'lorawan/#' -v");
        // -Dapp.apiVersion=1.0: the topics of behaviour.md 10, under the AppEUI (no app.eui filter: ff-ff-...)
        boolean api10 = "1.0".equals(System.getProperty("app.apiVersion"));
        String gateway = "lorawan/" + (api10 ? "ff-ff-ff-ff-ff-ff-ff-ff/" : "") + gwUuid;
        System.out.println("and send device " + DEVICE + " a downlink:");
        System.out.println("  mosquitto_pub " + host + " -t " + (api10 ? "lorawan/" + gwUuid + "/" + DEVICE + "/down"
                : gateway + "/down") + " -m '{\"deveui\":\"" + DEVICE + "\",\"data\":\"QA==\",\"port\":1}'");
        String requests = "  mosquitto_pub " + host + " -t " + gateway;
        System.out.println("Ask the gateway (stand-ins for lora-query, the mPower API and the log folder " + logsDir
                + "); the answers come on " + gateway + "/lora_res, api_res and log_res:");
        System.out.println(requests + "/lora_req -m '{\"command\":\"device count\",\"rid\":1}'");
        System.out.println(requests + "/api_req -m '{\"method\":\"GET\",\"path\":\"/api/loraNetwork\",\"body\":\"\","
                + "\"rid\":5}'");
        System.out.println(requests + "/log_req -m '{\"file\":\"" + logsDir + "/messages\",\"lines\":10,"
                + "\"filter\":\"lora\",\"rid\":4}'");
        System.out.println("Ctrl-C stops the demo.");
        System.out.println();
    }
}
