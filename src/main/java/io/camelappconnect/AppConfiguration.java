package io.camelappconnect;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.camelappconnect.azure.C2dCommand;
import io.camelappconnect.azure.DirectMethod;
import io.camelappconnect.azure.SasToken;
import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.AppConfig.CloudService;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.gateway.MpowerSettings;
import io.camelappconnect.http.ServerClient;
import io.camelappconnect.http.ServerComponent;
import io.camelappconnect.http.ServerQueue;
import io.camelappconnect.http.ServerSession;
import io.camelappconnect.http.ServerUrl;
import io.camelappconnect.lens.AppNet;
import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.BrokerUrl;
import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.mqtt.ConnectionConfig;
import io.camelappconnect.mqtt.ConnectionConfig.Ack;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttConnection;
import io.camelappconnect.operations.BrokersHealthCheck;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.operations.IdleThreadsEnd;
import io.camelappconnect.operations.Link;
import io.camelappconnect.operations.LogFile;
import io.camelappconnect.operations.Metrics;
import io.camelappconnect.operations.Redact;
import io.camelappconnect.operations.Watchdog;
import io.camelappconnect.protocol.BackhaulThrottle;
import io.camelappconnect.protocol.ClearRetained;
import io.camelappconnect.protocol.CommandDevice;
import io.camelappconnect.protocol.ConnectedTrigger;
import io.camelappconnect.protocol.DeviceEuis;
import io.camelappconnect.protocol.InitMessage;
import io.camelappconnect.protocol.JoinedData;
import io.camelappconnect.protocol.PayloadCodec;
import io.camelappconnect.protocol.TopicTemplate;
import io.camelappconnect.request.ApiCall;
import io.camelappconnect.request.LogRequest;
import io.camelappconnect.request.LogTail;
import io.camelappconnect.request.LoraQuery;
import io.camelappconnect.request.MpowerLogin;
import io.camelappconnect.request.RequestIn;
import io.camelappconnect.request.RidEcho;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.tls.Tls;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.OnCamelContextStarted;
import org.apache.camel.spi.OnCamelContextStopping;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the routes in {@code routes/} name: the broker connections ({@code lns:}, {@code cloud:}, and any the
 * user declared as {@code mqtt.connection.<name>.*}), the steps (processors) they call by name, and the placeholders
 * worked out at start: {@code gateway.uuid}, {@code topic.gateway}, {@code protocol.v111}, which routes run
 * ({@code cloud.mqtt}, {@code cloud.http}, {@code cloud.azure}, {@code cloud.broker}, {@code cloud.api10},
 * {@code cloud.api11}, {@code cloud.webServers}), an Azure hub's {@code azure.deviceId}, {@code topic.down} (only from
 * {@code app.options.downlinkTopic}), API 1.0's {@code topic.down10} and {@code topic.clear10}, and the flags as
 * plain true/false.
 */
public class AppConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AppConfiguration.class);
    private static final Tls.Pem NO_PEM = new Tls.Pem("", "");
    /** The longest keepalive an Azure IoT Hub takes (Microsoft: "Communicate with an IoT hub using MQTT"). */
    private static final int AZURE_MAX_KEEPALIVE = 1177;
    private static final String AZURE_API_VERSION = "2021-04-12";
    private static final String AZURE_WEBSOCKET_PATH = "$iothub/websocket";
    /** The biggest device-to-cloud message a hub takes, and a direct method's biggest answer (Microsoft's quotas). */
    private static final int AZURE_MAX_D2C_BYTES = 256 * 1024;
    private static final int AZURE_MAX_METHOD_ANSWER_BYTES = 128 * 1024;

    @Override
    public void configure(CamelContext context) throws Exception {
        IdleThreadsEnd pools = new IdleThreadsEnd(); // before any pool is made: the routes' start makes them
        pools.setCamelContext(context);
        context.getExecutorServiceManager().setThreadPoolFactory(pools);
        PropertiesComponent properties = context.getPropertiesComponent();
        AppConfig config = AppConfig.load(properties);
        LogFile.configure(config.logging()); // first: mPower's Start sends standard output nowhere
        if (config.app().fromMpower()) {
            MpowerSettings.read(config.mpower()).forEach(properties::addOverrideProperty);
            config = AppConfig.load(properties);
        }
        AppConfig.App app = config.app();
        Identity gateway = Identity.resolve(config);
        String eui = app.eui().isEmpty() || app.eui().equalsIgnoreCase(Eui.ANY) ? "" : normaliseFilter(app.eui());

        TopicTemplate.Subscription downlinkTopic = app.options().downlinkTopic().isEmpty() ? null
                : TopicTemplate.parse("app.options.downlinkTopic", app.options().downlinkTopic())
                        .subscription(Map.of("gwuuid", gateway.uuid(), "gwserial", gateway.serial()));

        // app.url's scheme chooses the routes (their precondition): a cloud broker, an Azure IoT Hub (behaviour.md 12,
        // routes/azure-*.yaml, the device id in their topics) or a web server (behaviour.md 9)
        boolean http = ServerUrl.isHttp(app.url());
        boolean azure = !http && app.options().cloudService() == CloudService.AZURE;
        boolean lorawan = !http && !azure; // the protocol's lorawan/... topics
        if (azure && app.v10()) {
            LOG.warn("app.apiVersion 1.0 with app.options.cloudService AZURE: a hub has none of its topics, so the"
                    + " default app is served as with 1.1, and LENS application networks are not read (they are with"
                    + " the default app on a broker)");
        }
        properties.addOverrideProperty("cloud.mqtt", String.valueOf(lorawan));
        properties.addOverrideProperty("cloud.http", String.valueOf(http));
        properties.addOverrideProperty("cloud.azure", String.valueOf(azure));
        properties.addOverrideProperty("azure.deviceId", azure ? app.options().clientId() : "");
        // the cloud is a broker: requests come as the protocol's X_req topics or as a hub's direct methods, and a LENS
        // application network may be on a hub (the commands' work of routes/azure-downlinks.yaml)
        properties.addOverrideProperty("cloud.broker", String.valueOf(!http));
        // and app.apiVersion the MQTT topics: 1.0's (routes/*-api10.yaml, behaviour.md 10), or 1.1's
        properties.addOverrideProperty("cloud.api10", String.valueOf(lorawan && app.v10()));
        properties.addOverrideProperty("cloud.api11", String.valueOf(lorawan && !app.v10()));
        // a web server may be there: the default app's, or with API 1.0 a LENS application network's
        properties.addOverrideProperty("cloud.webServers", String.valueOf(http || lorawan && app.v10()));
        properties.addOverrideProperty("gateway.uuid", gateway.uuid());
        // where init, close, the will and the requests go: lorawan/<GW-UUID>, with API 1.0 lorawan/<APP>/<GW-UUID>
        String appEui = eui.isEmpty() ? Eui.ANY : eui;
        String gatewayTopic = "lorawan/" + (app.v10() ? appEui + "/" : "") + gateway.uuid();
        properties.addOverrideProperty("topic.gateway", gatewayTopic);
        // API 1.0's downlinks and clears of the default app (routes/downlinks-api10.yaml)
        properties.addOverrideProperty("topic.down10", downlinkTopic != null ? downlinkTopic.filter()
                : AppNetworks.filters(appEui, gateway.uuid(), gateway.euis(), "down"));
        properties.addOverrideProperty("topic.clear10", AppNetworks.filters(appEui, gateway.uuid(), gateway.euis(), "clear"));
        if (downlinkTopic != null) { // routes/downlinks.yaml subscribes to lorawan/<GW-UUID>/down otherwise
            properties.addOverrideProperty("topic.down", downlinkTopic.filter());
        }
        properties.addOverrideProperty("protocol.v111", String.valueOf(app.v111()));
        // the routes read these as placeholders, which take only true/false: yes, on and 1 become true
        properties.addOverrideProperty("app.retain", String.valueOf(app.retain()));
        properties.addOverrideProperty("app.backhaulDetect.enabled", String.valueOf(app.backhaulDetect().enabled()));
        AppConfig.RequestOptions on = app.requestOptions();
        properties.addOverrideProperty("app.requestOptions.lora", String.valueOf(on.lora()));
        properties.addOverrideProperty("app.requestOptions.api", String.valueOf(on.api()));
        properties.addOverrideProperty("app.requestOptions.log", String.valueOf(on.log()));

        // a persistent session: uplinks the LNS publishes while the app restarts wait on its broker
        MqttComponent.add(context, connection(config, "lns", new Causes.Keys("lns.url", null), config.lns().url(),
                "", "camel-app-connect/" + gateway.uuid(), false, 60, "", "", "", NO_PEM, NO_PEM, NO_PEM, true,
                Ack.AFTER_ROUTE, CloudService.NONE, ""));
        for (AppConfig.Connection c : config.connections()) {
            MqttComponent.add(context, declared(config, c, gateway.uuid()));
        }

        PayloadCodec codec = new PayloadCodec(app.encodeHex());
        Counters counters = new Counters();
        Registry registry = context.getRegistry();
        registry.bind("countBadInput", (Processor) exchange -> counters.badInput());
        registry.bind("brokersHealthCheck", new BrokersHealthCheck(context));
        context.addService(new Watchdog(context));
        registry.bind("counters", counters);
        // countUp, countJoined, countMoved (forwarded to the cloud), countDown, countClear (commands to the LNS):
        // steps of their own rather than bean calls, which cost 5 µs an uplink (measured)
        Counters.EVENTS.forEach(e -> registry.bind(countStep(e), (Processor) exchange -> counters.forwarded(e)));
        Counters.COMMANDS.forEach(c -> registry.bind(countStep(c), (Processor) exchange -> counters.command(c)));
        AppNetworks networks = lorawan && app.v10()
                ? applicationNetworks(context, config, gateway, downlinkTopic, counters) : null;
        registry.bind("deviceEuis", new DeviceEuis(eui, networks == null ? other -> false : networks::has));
        registry.bind("uplinkData", codec.uplinkData());
        registry.bind("joinedData", new JoinedData());
        registry.bind("checkJson", Json.CHECK);
        registry.bind("uplinkTopicTemplate", app.options().uplinkTopic().isEmpty() ? (Processor) exchange -> { }
                : TopicTemplate.parse("app.options.uplinkTopic", app.options().uplinkTopic())
                        .uplinkTopic(gateway.uuid(), gateway.serial(), app.options().clientId()));
        registry.bind("downlinkData", codec.downlinkData());
        registry.bind("initMessage", new InitMessage(gateway, app.apiVersion()));
        registry.bind("serverDownlinks", ServerSession.downlinks());
        registry.bind("serverDownlinkDevice", new CommandDevice(null));
        configureHttp(context, config.mpower());
        ProducerTemplate template = context.createProducerTemplate();
        Link cloud = http ? webServer(context, config, appEui, counters)
                : cloudBroker(context, config, gateway, gatewayTopic, appEui, downlinkTopic, counters, template);
        BackhaulThrottle backhaul = new BackhaulThrottle(cloud::isConnected, cloud::connects, app.backhaulDetect());
        registry.bind("backhaulThrottle", networks == null ? backhaul
                : networks.backhaulThrottle(backhaul, app.backhaulDetect()));

        // the start of a graceful stop; it may not wait for a route that is not there (a user may remove one). close
        // waits until the cloud took it (its PUBACK, or the server's answer), 5 s at the most: a silent link must not
        // hold up the stop
        registry.bind("closeOnStop", (OnCamelContextStopping) c -> {
            try {
                if (networks != null) {
                    networks.closeAll();
                }
                template.asyncSendBody("direct:close?block=false&failIfNoConsumers=false", "").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("close not acknowledged by the cloud within 5 s: {}", e.toString());
            }
        });
        // camel.metrics.enabled makes the meter registry while the context starts; without it Micrometer stays unloaded
        registry.bind("bindMetrics", (OnCamelContextStarted) c -> {
            Object meters = registry.lookupByName("metricsRegistry");
            try {
                if (meters != null) {
                    io.micrometer.core.instrument.MeterRegistry m = (io.micrometer.core.instrument.MeterRegistry) meters;
                    if (networks != null) { // first: an application network that comes meanwhile is not missed
                        networks.watch(new AppNetworks.LinkWatcher() {
                            @Override
                            public void added(Link link) {
                                Metrics.bindLink(m, link);
                            }

                            @Override
                            public void removed(String name) {
                                Metrics.removeLink(m, name);
                            }
                        });
                    }
                    Metrics.bind(m, counters, context);
                }
            } catch (RuntimeException e) { // the other start hooks still run; the bridge does without the counts
                LOG.warn("/observe/metrics will lack the app_* counts: {}", e.toString());
            }
        });

        LOG.info("gateway {} (serial {}, EUIs {}): LNS {} -> cloud {}, API {}, AppEUI filter {}", gateway.uuid(),
                gateway.serial().isEmpty() ? "unknown" : gateway.serial(), gateway.euis(), Redact.text(config.lns().url()),
                Redact.text(app.url()), app.apiVersion(), eui.isEmpty() ? "none" : eui);
    }

    /**
     * MQTT mode: the cloud connection, and the steps only its routes use (commands, requests, connected).
     *
     * @param gatewayTopic {@code topic.gateway}
     * @param appEui       {@code <APP>}: the AppEUI filter, or {@code ff-ff-ff-ff-ff-ff-ff-ff}
     */
    private static Link cloudBroker(CamelContext context, AppConfig config, Identity gateway, String gatewayTopic,
                                    String appEui, TopicTemplate.Subscription downlinkTopic, Counters counters,
                                    ProducerTemplate template) {
        AppConfig.App app = config.app();
        AppConfig.Options o = app.options();
        // what the cloud asks is done at most once (a command run twice queues two downlinks); what the gateway
        // reports is delivered at least once. The will goes on the very first CONNECT too.
        MqttConnection cloud = MqttComponent.add(context, connection(config, "cloud", Causes.Keys.APP, app.url(),
                o.clientId(), "lorawan/" + (app.v10() ? appEui : Eui.ANY) + "/" + gateway.uuid(),
                o.cleanSession(), o.keepalive(), gatewayTopic + "/disconnected", o.username(), o.password(),
                new Tls.Pem("app.options.server_cert", o.serverCert()), new Tls.Pem("app.options.client_cert", o.clientCert()),
                new Tls.Pem("app.options.apikey", o.apikey()), o.checkHostname(), Ack.ON_ARRIVAL, o.cloudService(),
                o.sharedAccessKey())).connection();
        Registry registry = context.getRegistry();
        registry.bind("c2dCommand", new C2dCommand()); // a LENS application network may be on a hub
        if (o.cloudService() == CloudService.AZURE) { // routes/azure-*.yaml: the device is named in the JSON
            registry.bind("downlinkDevice", new CommandDevice(null));
            registry.bind("clearDevice", new CommandDevice(null));
            registry.bind("directMethod", new DirectMethod());
            registry.bind("methodStatus", DirectMethod.status());
            bindRequests(registry, config, counters, Math.min(config.mqtt().maxPayloadBytes(),
                    AZURE_MAX_METHOD_ANSWER_BYTES), "a direct method's answer");
            return cloud;
        }
        registry.bind("downlinkDevice", downlinkTopic != null || !app.v10() ? new CommandDevice(downlinkTopic)
                : CommandDevice.api10(gateway.uuid()));
        registry.bind("clearDevice", app.v10() ? CommandDevice.api10Clear(gateway.uuid()) : new CommandDevice(null));
        if (app.v10()) { // a LENS application network's downlinks, without the default app's downlinkTopic
            registry.bind("downlinkDeviceApi10", CommandDevice.api10(gateway.uuid()));
        }
        registry.bind("clearRetained", new ClearRetained());
        bindRequests(registry, config, counters, config.mqtt().maxPayloadBytes(), "mqtt.maxPayloadBytes");
        // every cloud (re)connect; it never waits on the connection's thread, which must go on reconnecting
        if (app.v111()) {
            registry.bind("connectedOnConnect", new ConnectedTrigger(cloud,
                    () -> template.asyncSendBody("direct:connected?block=false&failIfNoConsumers=false", "")));
        }
        return cloud;
    }

    /**
     * API 1.0 on MQTT (behaviour.md 10): the LENS application networks, each with its connection (an MQTT one, or a web
     * server) and its routes; read before the LNS connects, their routes made once the route files are read.
     */
    private static AppNetworks applicationNetworks(CamelContext context, AppConfig config, Identity gateway,
                                                   TopicTemplate.Subscription downlinkTopic, Counters counters)
            throws InterruptedException {
        AppConfig.App app = config.app();
        AppNetworks.Setup setup = new AppNetworks.Setup() {
            @Override
            public String add(AppNet network) {
                Causes.Keys keys = Causes.Keys.applicationNetwork(network.eui());
                if (ServerUrl.isHttp(network.url())) {
                    ServerUrl url = ServerUrl.parse(keys.url(), network.url());
                    webServer(context, config, network.connection(), keys, url, network.eui(),
                            new Tls.Pem(keys.option("server_cert"), network.option("server_cert", "")),
                            new Tls.Pem(keys.option("client_cert"), network.option("client_cert", "")),
                            new Tls.Pem(keys.option("apikey"), network.option("apikey", "")),
                            flag(network.option("check_hostname", "true")), counters);
                    return url.toString();
                }
                MqttComponent.add(context, applicationConnection(config, network, gateway.uuid()));
                return null;
            }

            @Override
            public Path store(AppNet network) {
                return Path.of(config.store().dir(), network.connection());
            }
        };
        AppNetworks networks = new AppNetworks(context, setup, gateway.uuid(), gateway.euis(), downlinkTopic, app.options().overrideTopicsForAllApps(),
                config.loraQuery().command(), config.loraQuery().timeoutMs(), config.appnet().refreshMs(), counters);
        Registry registry = context.getRegistry();
        registry.bind("appNetworks", networks);
        registry.bind("application", networks.application());
        registry.bind("appnetLookup", networks.lookup());
        registry.bind("appnetList", networks.list());
        registry.bind("noTopicTemplate", (Processor) exchange -> { });
        // read now: a device's first uplink (kept for us by the LNS broker) must find its application; the routes come
        // once the route files are read
        networks.refresh();
        registry.bind("applicationRoutes", (OnCamelContextStarted) c -> {
            try {
                networks.routes();
            } catch (Exception e) {
                throw new IllegalStateException("API 1.0 routes: " + e.getMessage(), e);
            }
        });
        return networks;
    }

    /** A LENS application network's connection: its options named as the default app's, its topics under its AppEUI. */
    private static ConnectionConfig applicationConnection(AppConfig config, AppNet network, String gatewayUuid) {
        Causes.Keys keys = Causes.Keys.applicationNetwork(network.eui());
        String topic = "lorawan/" + network.eui() + "/" + gatewayUuid;
        return connection(config, network.connection(), keys, network.url(), network.option("client_id", ""), topic,
                flag(network.option("clean_session", "false")), Integer.parseInt(network.option("keepalive", "60")),
                topic + "/disconnected", network.option("username", ""), network.option("password", ""),
                new Tls.Pem(keys.option("server_cert"), network.option("server_cert", "")),
                new Tls.Pem(keys.option("client_cert"), network.option("client_cert", "")),
                new Tls.Pem(keys.option("apikey"), network.option("apikey", "")),
                flag(network.option("check_hostname", "true")), Ack.ON_ARRIVAL,
                CloudService.parse(keys.option("cloudService"), network.option("cloudService", "NONE")),
                network.option("sharedAccessKey", ""));
    }

    private static boolean flag(String value) {
        return value.equalsIgnoreCase("true") || value.equals("1");
    }

    /**
     * HTTP mode (behaviour.md 9): the web server as {@code server:}, what waits for it in store.dir/server, and the
     * steps of routes/http-*.yaml.
     *
     * @param appEui {@code <APP>} in the paths: the AppEUI filter, or {@code ff-ff-ff-ff-ff-ff-ff-ff}
     */
    private static Link webServer(CamelContext context, AppConfig config, String appEui, Counters counters) {
        AppConfig.App app = config.app();
        ServerUrl url = ServerUrl.parse("app.url", app.url());
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("app.url", url.toString()); // camel-http appends each path to it
        properties.addOverrideProperty("server.appEui", appEui);
        AppConfig.Options o = app.options();
        ServerQueue queue = webServer(context, config, "server", Causes.Keys.APP, url, appEui,
                new Tls.Pem("app.options.server_cert", o.serverCert()), new Tls.Pem("app.options.client_cert", o.clientCert()),
                new Tls.Pem("app.options.apikey", o.apikey()), o.checkHostname(), counters);
        for (String mqttOnly : new String[] {"app.options.uplinkTopic", "app.options.downlinkTopic",
                "app.options.client_id", "app.options.username", "app.options.password"}) {
            if (!properties.resolveProperty(mqttOnly).orElse("").isBlank()) {
                LOG.warn("{} is not used: app.url {} is a web server (HTTP mode), and that setting is MQTT's",
                        mqttOnly, url);
            }
        }
        AppConfig.RequestOptions on = app.requestOptions();
        if (on.lora() || on.api() || on.log()) {
            LOG.warn("app.requestOptions: no request can come in HTTP mode (app.url {}): requests travel on MQTT", url);
        }
        return queue;
    }

    /**
     * A web server as the component {@code name} (the default app's, or a LENS application network's), what waits for
     * it in store.dir/name, and the steps its routes name after it: {@code <name>Client} (camel-http's client: TLS,
     * the server's timeout), {@code <name>Settings}, {@code <name>DeviceSeen}, {@code <name>Poll}.
     */
    private static ServerQueue webServer(CamelContext context, AppConfig config, String name, Causes.Keys keys,
                                         ServerUrl url, String appEui, Tls.Pem serverCert, Tls.Pem clientCert,
                                         Tls.Pem apikey, boolean checkHostname, Counters counters) {
        if (!url.tls() && (serverCert.isSet() || clientCert.isSet() || apikey.isSet())) {
            LOG.warn("{}, {}, {}: not used, {} {} is not TLS (https://)", serverCert.key(), clientCert.key(),
                    apikey.key(), keys.url(), url);
        }
        // read now: bad PEM stops the start (or refuses the application network)
        javax.net.ssl.SSLContext tls = url.tls() ? Tls.context(serverCert, clientCert, apikey) : null;
        AppConfig.Store store = config.store();
        AppConfig.Http http = config.http();
        ServerQueue queue = new ServerQueue(name, url.toString(), "api/v1/lorawan/" + appEui + "/up",
                new MessageStore(name, Path.of(store.dir(), name), store.maxMessages(),
                        store.maxMiB() * 1024L * 1024L, store.syncMs()),
                new ConnectionConfig.Backoff(http.retryInitialMs(), http.retryMaxMs()), store.syncMs(),
                counters::serverRefused, keys);
        ServerSession session = new ServerSession(queue::isConnected);
        Registry registry = context.getRegistry();
        registry.bind(name + "Client", new ServerClient(tls, checkHostname, session));
        registry.bind(name + "Settings", session.settingsFromInit());
        registry.bind(name + "DeviceSeen", session.deviceSeen());
        registry.bind(name + "Poll", session.downlinkPoll());
        context.addComponent(name, new ServerComponent(queue));
        return queue;
    }

    /** Bounded calls: a request waits for the API at most mpower.timeout, and a failed call is not sent again. */
    private static void configureHttp(CamelContext context, AppConfig.Mpower mpower) {
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(mpower.timeoutMs());
            http.setConnectionRequestTimeout(mpower.timeoutMs());
            http.setResponseTimeout(mpower.timeoutMs());
            http.setSoTimeout(mpower.timeoutMs());
            http.setAutomaticRetriesDisabled(true);
        }
    }

    /** The request routes' steps (routes/requests.yaml). */
    private static void bindRequests(Registry registry, AppConfig config, Counters counters, int maxAnswerBytes,
                                     String bound) {
        registry.bind("requestIn", new RequestIn());
        registry.bind("ridEcho", new RidEcho(maxAnswerBytes, bound, counters));
        LoraQuery lora = new LoraQuery(config.loraQuery().command(), config.loraQuery().timeoutMs());
        registry.bind("loraCommand", lora.command());
        registry.bind("loraResult", lora.result());
        registry.bind("loraExecutor", LoraQuery.executor());
        registry.bind("apiRequest", ApiCall.request());
        registry.bind("apiResult", ApiCall.result(config.mpower().maxAnswerBytes(), config.mpower().timeoutMs()));
        registry.bind("mpowerLogin", new MpowerLogin(config.mpower().username(), config.mpower().password()));
        AppConfig.Logs logs = config.logs();
        registry.bind("logRequest", new LogRequest(new LogTail(Path.of(logs.dir()), logs.maxLines(), logs.maxAnswerBytes(),
                logs.maxScanMiB() * 1024L * 1024L, Duration.ofMillis(logs.timeoutMs()))));
    }

    private static String countStep(String kind) {
        return "count" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }

    private static String normaliseFilter(String eui) {
        try {
            return Eui.normalise(eui);
        } catch (BadMessage e) {
            throw new IllegalArgumentException("app.eui=" + eui + ": " + e.getMessage());
        }
    }

    /** A connection of the user's own (mqtt.connection.NAME.*), or one added while the app runs. */
    static ConnectionConfig declared(AppConfig config, AppConfig.Connection c, String gatewayUuid) {
        String key = "mqtt.connection." + c.name() + ".";
        return connection(config, c.name(), new Causes.Keys(key + "url", key), c.url(), c.clientId(),
                "camel-app-connect/" + c.name() + "/" + gatewayUuid, c.cleanSession(), c.keepalive(), c.will(),
                c.username(), c.password(), new Tls.Pem(key + "server_cert", c.serverCert()),
                new Tls.Pem(key + "client_cert", c.clientCert()), new Tls.Pem(key + "apikey", c.apikey()),
                c.checkHostname(), Ack.parse(key + "ack", c.ack()), c.cloudService(), c.sharedAccessKey());
    }

    /**
     * A connection as configuration declares it; the tuning (mqtt.*, store.*) is shared, each store in its own
     * directory under store.dir with the whole bound (uplinks and downlinks don't compete).
     *
     * @param clientId the client_id option; empty: {@code defaultClientId}, but an Azure IoT Hub needs the device id
     * @param will     the will's topic (empty payload); empty: none
     */
    private static ConnectionConfig connection(AppConfig config, String name, Causes.Keys keys, String url, String clientId,
                                               String defaultClientId, boolean cleanSession, int keepalive, String will,
                                               String username, String password, Tls.Pem serverCert,
                                               Tls.Pem clientCert, Tls.Pem apikey, boolean checkHostname, Ack ack,
                                               CloudService cloudService, String sharedAccessKey) {
        BrokerUrl broker = BrokerUrl.parse(keys.url(), url);
        ConnectionConfig.Password login = ConnectionConfig.Password.of(password);
        if (cloudService == CloudService.AZURE) { // the hub's rules (behaviour.md 12)
            if (clientId.isEmpty()) {
                throw new IllegalArgumentException(keys.option("client_id") + " is empty: with "
                        + keys.option("cloudService") + "=AZURE it is the device id, as the hub's device page shows it");
            }
            if (!broker.tls()) { // tests use a plain port; the hub serves none
                LOG.warn("{} {} is not TLS: an Azure IoT Hub serves mqtts:// (8883) and wss:// (443) only",
                        keys.url(), Redact.text(url));
            }
            if (keepalive > AZURE_MAX_KEEPALIVE) {
                LOG.warn("{}={}: an Azure IoT Hub takes {} s at most; {} s used", keys.option("keepalive"), keepalive,
                        AZURE_MAX_KEEPALIVE, AZURE_MAX_KEEPALIVE);
                keepalive = AZURE_MAX_KEEPALIVE;
            }
            if (broker.websocket() && broker.path().isEmpty()) { // the hub's WebSocket endpoint, on 443
                broker = new BrokerUrl(broker.host(), broker.port(), broker.tls(), true, AZURE_WEBSOCKET_PATH);
            }
            will = ""; // the hub closes a connection whose will is outside the device's topics
            if (username.isEmpty()) {
                username = broker.host() + "/" + clientId + "/?api-version=" + AZURE_API_VERSION;
            }
            if (!sharedAccessKey.isEmpty()) {
                if (!password.isEmpty()) {
                    LOG.warn("{}: not used, {} makes the SAS tokens", keys.option("password"),
                            keys.option("sharedAccessKey"));
                }
                login = SasToken.renewed(SasToken.resourceUri(broker.host(), clientId),
                        SasToken.key(keys.option("sharedAccessKey"), sharedAccessKey),
                        Duration.ofSeconds(config.azure().tokenTtlSeconds()), Clock.systemUTC());
            } else {
                login = SasToken.pasted(password);
            }
        } else if (!sharedAccessKey.isEmpty()) {
            LOG.warn("{}: not used, {} is not AZURE", keys.option("sharedAccessKey"), keys.option("cloudService"));
        }
        clientId = clientId.isEmpty() ? defaultClientId : clientId;
        MqttClientSslConfig tls = null;
        if (broker.tls()) {
            tls = Tls.config(serverCert, clientCert, apikey, checkHostname); // read now: bad PEM stops the start
        } else if (serverCert.isSet() || clientCert.isSet() || apikey.isSet()) {
            // as MultiTech's app: certificates left over from a TLS setup don't stop a plain connection
            LOG.warn("{}, {}, {}: not used, {} {} is not TLS (mqtts://, ssl://, wss://)", serverCert.key(),
                    clientCert.key(), apikey.key(), keys.url(), Redact.text(url));
        }
        AppConfig.Mqtt mqtt = config.mqtt();
        AppConfig.Store store = config.store();
        int maxPayloadBytes = mqtt.maxPayloadBytes();
        if (cloudService == CloudService.AZURE && maxPayloadBytes > AZURE_MAX_D2C_BYTES) {
            // the hub refuses a bigger message: over it, an uplink is refused here with a WARN and counted as bad input
            LOG.warn("mqtt.maxPayloadBytes={}: an Azure IoT Hub takes {} bytes at most; {} uses that",
                    maxPayloadBytes, AZURE_MAX_D2C_BYTES, name);
            maxPayloadBytes = AZURE_MAX_D2C_BYTES;
        }
        return new ConnectionConfig(name, broker, clientId, cleanSession, keepalive, tls, username, login,
                will.isEmpty() ? null : new ConnectionConfig.Will(will, new byte[0]), ack, mqtt.maxInflight(),
                maxPayloadBytes, mqtt.maxPublishRate(), mqtt.connectTimeoutMs(),
                new ConnectionConfig.Backoff(mqtt.reconnectInitialMs(), mqtt.reconnectMaxMs()),
                new ConnectionConfig.Store(Path.of(store.dir(), name), store.maxMessages(), store.maxMiB() * 1024L * 1024L,
                        store.syncMs()), mqtt.maxIncomingBytes(), mqtt.maxWaitingBytes(), keys);
    }
}
