package io.camelappconnect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLSocketFactory;

import io.camelappconnect.health.BrokersHealthCheck;
import io.camelappconnect.health.Counters;
import io.camelappconnect.health.Metrics;
import io.camelappconnect.mqtt.BrokerComponent;
import io.camelappconnect.mqtt.BrokerUrl;
import io.camelappconnect.mqtt.BufferedSockets;
import io.camelappconnect.mqtt.MessageStore;
import io.camelappconnect.mqtt.SharedMqttClient.Delivery;
import io.camelappconnect.mqtt.Tls;
import io.camelappconnect.request.ApiCall;
import io.camelappconnect.request.LogRequest;
import io.camelappconnect.request.LogTail;
import io.camelappconnect.request.LoraQuery;
import io.camelappconnect.request.MpowerLogin;
import io.camelappconnect.request.RequestIn;
import io.camelappconnect.request.RidEcho;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.OnCamelContextStarted;
import org.apache.camel.spi.OnCamelContextStopping;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the routes in {@code routes/} name: the two broker connections ({@code lns:}, {@code cloud:}),
 * the processors, and the placeholders worked out at start ({@code gateway.uuid}, {@code topic.down},
 * {@code protocol.v111}).
 */
public class AppConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AppConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        AppConfig config = AppConfig.load(properties);
        LogFile.configure(config.logging()); // first: mPower's Start sends standard output nowhere
        String source = properties.resolveProperty("app.source").orElse("file").trim();
        if (source.equals("mpower")) {
            MpowerSettings.read(config.mpower()).forEach(properties::addOverrideProperty);
            config = AppConfig.load(properties);
        } else if (!source.equals("file")) {
            throw new IllegalArgumentException("app.source=" + source + ": must be file or mpower");
        }
        AppConfig.App app = config.app();
        Identity gateway = Identity.resolve(config);
        String eui = app.eui().isEmpty() || app.eui().equalsIgnoreCase(Eui.ANY) ? "" : normaliseFilter(app.eui());

        TopicTemplate uplinkTopic = app.options().uplinkTopic().isEmpty() ? null
                : TopicTemplate.parse("app.options.uplinkTopic", app.options().uplinkTopic());
        TopicTemplate.Subscription downlinkTopic = app.options().downlinkTopic().isEmpty() ? null
                : TopicTemplate.parse("app.options.downlinkTopic", app.options().downlinkTopic())
                        .subscription(Map.of("gwuuid", gateway.uuid(), "gwserial", gateway.serial()));

        properties.addOverrideProperty("gateway.uuid", gateway.uuid());
        properties.addOverrideProperty("topic.down",
                downlinkTopic == null ? "lorawan/" + gateway.uuid() + "/down" : downlinkTopic.filter());
        properties.addOverrideProperty("protocol.v111", String.valueOf(app.v111()));
        // the routes read these flags as placeholders, which take only true/false: yes, on and 1 become true
        properties.addOverrideProperty("app.retain", String.valueOf(app.retain()));
        properties.addOverrideProperty("app.backhaulDetect.enabled", String.valueOf(app.backhaulDetect().enabled()));

        BrokerComponent.Backoff backoff = new BrokerComponent.Backoff(
                config.mqtt().reconnectInitialMs(), config.mqtt().reconnectMaxMs());
        String clientId = app.options().clientId().isEmpty()
                ? "lorawan/" + Eui.ANY + "/" + gateway.uuid() : app.options().clientId();
        // what the cloud asks is done at most once (a command run twice queues two downlinks); what the gateway
        // reports is delivered at least once
        BrokerComponent cloud = new BrokerComponent("cloud", BrokerUrl.toPaho("app.url", app.url()), clientId,
                cloudOptions(config, gateway), backoff, store(config.store(), "cloud"), config.mqtt().maxPayloadBytes(),
                Delivery.AT_MOST_ONCE);
        BrokerComponent lns = new BrokerComponent("lns", BrokerUrl.toPaho("lns.url", config.lns().url()),
                "camel-app-connect/" + gateway.uuid(), lnsOptions(config), backoff, store(config.store(), "lns"),
                config.mqtt().maxPayloadBytes(), Delivery.AT_LEAST_ONCE);
        context.addComponent("cloud", cloud);
        context.addComponent("lns", lns);

        PayloadCodec codec = new PayloadCodec(app.encodeHex());
        Counters counters = new Counters();
        Registry registry = context.getRegistry();
        registry.bind("countBadInput", (Processor) exchange -> counters.badInput());
        registry.bind("brokersHealthCheck", new BrokersHealthCheck(cloud, lns));
        registry.bind("toCloud", new ToCloud(gateway, codec, eui, uplinkTopic, counters));
        registry.bind("toLnsDown", ToLns.down(codec, downlinkTopic, counters));
        registry.bind("toLnsClear", ToLns.clear(counters));
        registry.bind("clearRetained", new ClearRetained(cloud.getClient()));
        registry.bind("initMessage", new InitMessage(gateway, app.apiVersion()));
        registry.bind("backhaulThrottle", new BackhaulThrottle(cloud::isConnected, cloud::connects, app.backhaulDetect()));
        bindRequests(registry, config, counters);
        configureHttp(context, config.mpower());

        // the lifecycle routes' triggers: every cloud (re)connect, and the start of a graceful stop. Neither may
        // wait for a route that is not there (a user may remove one): the connect thread must go on reconnecting.
        ProducerTemplate template = context.createProducerTemplate();
        if (app.v111()) {
            registry.bind("connectedOnConnect", new ConnectedTrigger(cloud,
                    () -> template.sendBody("direct:connected?block=false&failIfNoConsumers=false", "")));
        }
        registry.bind("closeOnStop", (OnCamelContextStopping) c ->
                template.sendBody("direct:close?block=false&failIfNoConsumers=false", ""));
        // camel.metrics.enabled makes the meter registry while the context starts; without it Micrometer stays unloaded
        registry.bind("bindMetrics", (OnCamelContextStarted) c -> {
            Object meters = registry.lookupByName("metricsRegistry");
            try {
                if (meters != null) {
                    Metrics.bind((io.micrometer.core.instrument.MeterRegistry) meters, counters, cloud, lns);
                }
            } catch (RuntimeException e) { // the other start hooks still run; the bridge does without the counts
                LOG.warn("/observe/metrics will lack the app_* counts: {}", e.toString());
            }
        });

        LOG.info("gateway {} (serial {}, EUIs {}): LNS {} -> cloud {}, API {}, AppEUI filter {}", gateway.uuid(),
                gateway.serial().isEmpty() ? "unknown" : gateway.serial(), gateway.euis(), config.lns().url(),
                app.url(), app.apiVersion(), eui.isEmpty() ? "none" : eui);
    }

    /** Each broker's own directory under store.dir, each with the whole bound (uplinks and downlinks don't compete). */
    private static MessageStore store(AppConfig.Store store, String broker) {
        return new MessageStore(broker, Path.of(store.dir(), broker), store.maxMessages(), store.maxMiB() * 1024L * 1024L);
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
    private static void bindRequests(Registry registry, AppConfig config, Counters counters) {
        AppConfig.RequestOptions on = config.app().requestOptions();
        registry.bind("requestIn", new RequestIn(Map.of("lora", on.lora(), "api", on.api(), "log", on.log())));
        registry.bind("ridEcho", new RidEcho(config.mqtt().maxPayloadBytes(), counters));
        LoraQuery lora = new LoraQuery(config.loraQuery().command(), config.loraQuery().timeoutMs());
        registry.bind("loraCommand", lora.command());
        registry.bind("loraResult", lora.result());
        registry.bind("apiRequest", ApiCall.request());
        registry.bind("apiResult", ApiCall.result());
        registry.bind("mpowerLogin", new MpowerLogin(config.mpower().username(), config.mpower().password()));
        AppConfig.Logs logs = config.logs();
        registry.bind("logRequest", new LogRequest(new LogTail(Path.of(logs.dir()), logs.maxLines(), logs.maxAnswerBytes(),
                logs.maxScanMiB() * 1024L * 1024L, Duration.ofMillis(logs.timeoutMs()))));
    }

    private static String normaliseFilter(String eui) {
        try {
            return Eui.normalise(eui);
        } catch (BadMessage e) {
            throw new IllegalArgumentException("app.eui=" + eui + ": " + e.getMessage());
        }
    }

    private static MqttConnectOptions cloudOptions(AppConfig config, Identity gateway) {
        AppConfig.Options o = config.app().options();
        String url = BrokerUrl.toPaho("app.url", config.app().url());
        MqttConnectOptions options = common(config, url, o.cleanSession(), o.keepalive());
        // on the very first CONNECT too: a gateway that never got through once still tells when it goes
        options.setWill("lorawan/" + gateway.uuid() + "/disconnected", new byte[0], 1, false);
        // Paho sets the HTTPS endpoint check on the socket itself, so it holds with our socket factory too
        options.setHttpsHostnameVerificationEnabled(o.checkHostname());
        Tls.Pem serverCert = new Tls.Pem("app.options.server_cert", o.serverCert());
        Tls.Pem clientCert = new Tls.Pem("app.options.client_cert", o.clientCert());
        Tls.Pem apikey = new Tls.Pem("app.options.apikey", o.apikey());
        if (serverCert.isSet() || clientCert.isSet() || apikey.isSet()) {
            SSLSocketFactory tls = Tls.socketFactory(serverCert, clientCert, apikey); // read now: bad PEM stops the start
            if (url.startsWith("ssl:") || url.startsWith("wss:")) {
                options.setSocketFactory(tls);
            } else { // as MultiTech's app: certificates left over from a TLS setup don't stop a plain connection
                LOG.warn("app.options.server_cert, client_cert, apikey: not used, app.url {} is not TLS"
                        + " (mqtts://, ssl://, wss://)", config.app().url());
            }
        }
        if (!o.username().isEmpty()) {
            options.setUserName(o.username());
        }
        if (!o.password().isEmpty()) {
            options.setPassword(o.password().toCharArray());
        }
        return options;
    }

    /** A persistent session: uplinks the LNS publishes while the app restarts wait on its broker. */
    private static MqttConnectOptions lnsOptions(AppConfig config) {
        return common(config, BrokerUrl.toPaho("lns.url", config.lns().url()), false, 60);
    }

    /** @param url as Paho takes it ({@link BrokerUrl#toPaho}) */
    private static MqttConnectOptions common(AppConfig config, String url, boolean cleanSession, int keepalive) {
        MqttConnectOptions options = new MqttConnectOptions();
        if (url.startsWith("tcp:")) {
            options.setSocketFactory(new BufferedSockets());
        }
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setKeepAliveInterval(keepalive);
        options.setAutomaticReconnect(false); // BrokerComponent reconnects, with jitter
        options.setMaxInflight(config.mqtt().maxInflight());
        return options;
    }
}
