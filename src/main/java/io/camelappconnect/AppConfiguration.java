package io.camelappconnect;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.camelappconnect.mqtt.BrokerComponent;
import io.camelappconnect.mqtt.BrokerUrl;
import io.camelappconnect.mqtt.SharedMqttClient.Delivery;
import io.camelappconnect.request.ApiCall;
import io.camelappconnect.request.LogRequest;
import io.camelappconnect.request.LogTail;
import io.camelappconnect.request.LoraQuery;
import io.camelappconnect.request.MpowerLogin;
import io.camelappconnect.request.RequestIn;
import io.camelappconnect.request.RidEcho;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
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
        AppConfig.App app = config.app();
        Identity gateway = Identity.resolve(config);
        String eui = app.eui().isEmpty() || app.eui().equalsIgnoreCase(Eui.ANY) ? "" : normaliseFilter(app.eui());
        requireNoPem(app.options());

        TopicTemplate uplinkTopic = app.options().uplinkTopic().isEmpty() ? null
                : TopicTemplate.parse("app.options.uplinkTopic", app.options().uplinkTopic());
        TopicTemplate.Subscription downlinkTopic = app.options().downlinkTopic().isEmpty() ? null
                : TopicTemplate.parse("app.options.downlinkTopic", app.options().downlinkTopic())
                        .subscription(Map.of("gwuuid", gateway.uuid(), "gwserial", gateway.serial()));

        properties.addOverrideProperty("gateway.uuid", gateway.uuid());
        properties.addOverrideProperty("topic.down",
                downlinkTopic == null ? "lorawan/" + gateway.uuid() + "/down" : downlinkTopic.filter());
        properties.addOverrideProperty("protocol.v111", String.valueOf(app.v111()));

        BrokerComponent.Backoff backoff = new BrokerComponent.Backoff(
                config.mqtt().reconnectInitialMs(), config.mqtt().reconnectMaxMs());
        String clientId = app.options().clientId().isEmpty()
                ? "lorawan/" + Eui.ANY + "/" + gateway.uuid() : app.options().clientId();
        // what the cloud asks is done at most once (a command run twice queues two downlinks); what the gateway
        // reports is delivered at least once
        BrokerComponent cloud = new BrokerComponent("cloud", BrokerUrl.toPaho("app.url", app.url()), clientId,
                cloudOptions(config, gateway), backoff, config.mqtt().bufferSize(), config.mqtt().maxPayloadBytes(),
                Delivery.AT_MOST_ONCE);
        BrokerComponent lns = new BrokerComponent("lns", BrokerUrl.toPaho("lns.url", config.lns().url()),
                "camel-app-connect/" + gateway.uuid(), lnsOptions(config), backoff, config.mqtt().bufferSize(),
                config.mqtt().maxPayloadBytes(), Delivery.AT_LEAST_ONCE);
        context.addComponent("cloud", cloud);
        context.addComponent("lns", lns);

        PayloadCodec codec = new PayloadCodec(app.encodeHex());
        Registry registry = context.getRegistry();
        registry.bind("toCloud", new ToCloud(gateway, codec, eui, uplinkTopic));
        registry.bind("toLnsDown", ToLns.down(codec, downlinkTopic));
        registry.bind("toLnsClear", ToLns.clear());
        registry.bind("clearRetained", new ClearRetained(cloud.getClient()));
        registry.bind("initMessage", new InitMessage(gateway, app.apiVersion()));
        bindRequests(registry, config);
        configureHttp(context, config.mpower());

        // the lifecycle routes' triggers: every cloud (re)connect, and the start of a graceful stop. Neither may
        // wait for a route that is not there (a user may remove one): the connect thread must go on reconnecting.
        ProducerTemplate template = context.createProducerTemplate();
        if (app.v111()) {
            cloud.onConnect(() -> template.sendBody("direct:connected?block=false&failIfNoConsumers=false", ""));
        }
        registry.bind("closeOnStop", (OnCamelContextStopping) c ->
                template.sendBody("direct:close?block=false&failIfNoConsumers=false", ""));

        LOG.info("gateway {} (serial {}, EUIs {}): LNS {} -> cloud {}, API {}, AppEUI filter {}", gateway.uuid(),
                gateway.serial().isEmpty() ? "unknown" : gateway.serial(), gateway.euis(), config.lns().url(),
                app.url(), app.apiVersion(), eui.isEmpty() ? "none" : eui);
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
    private static void bindRequests(Registry registry, AppConfig config) {
        AppConfig.RequestOptions on = config.app().requestOptions();
        registry.bind("requestIn", new RequestIn(Map.of("lora", on.lora(), "api", on.api(), "log", on.log())));
        registry.bind("ridEcho", new RidEcho(config.mqtt().maxPayloadBytes()));
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

    private static void requireNoPem(AppConfig.Options o) {
        if (!o.serverCert().isEmpty() || !o.clientCert().isEmpty() || !o.apikey().isEmpty()) {
            throw new IllegalArgumentException("app.options.server_cert, client_cert and apikey (PEM) are not supported"
                    + " by this version yet: leave them empty to use the JVM's trust store");
        }
    }

    private static MqttConnectOptions cloudOptions(AppConfig config, Identity gateway) {
        AppConfig.Options o = config.app().options();
        MqttConnectOptions options = common(config, o.cleanSession(), o.keepalive());
        // on the very first CONNECT too: a gateway that never got through once still tells when it goes
        options.setWill("lorawan/" + gateway.uuid() + "/disconnected", new byte[0], 1, false);
        options.setHttpsHostnameVerificationEnabled(o.checkHostname());
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
        return common(config, false, 60);
    }

    private static MqttConnectOptions common(AppConfig config, boolean cleanSession, int keepalive) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setKeepAliveInterval(keepalive);
        options.setAutomaticReconnect(false); // BrokerComponent reconnects, with jitter
        options.setMaxInflight(config.mqtt().maxInflight());
        return options;
    }
}
