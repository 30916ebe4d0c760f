package io.camelappconnect.setup;

import java.nio.file.Path;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.ConnectionSettings;
import io.camelappconnect.http.ServerClient;
import io.camelappconnect.http.ServerComponent;
import io.camelappconnect.http.ServerQueue;
import io.camelappconnect.http.ServerSession;
import io.camelappconnect.http.ServerUrl;
import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.mqtt.ConnectionConfig;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.tls.Tls;
import io.camelappconnect.operations.Counters;
import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP mode (behaviour.md 9): a web server as the cloud, and camel-http's bounds for the mPower API's calls. */
public final class HttpMode {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMode.class);

    private HttpMode() {
    }

    /** The default app's web server as {@code server:}, what waits for it in store.dir/server. */
    public static ServerQueue defaultApp(CamelContext context, AppConfig config, String appEui, Counters counters) {
        AppConfig.App app = config.app();
        ServerUrl url = ServerUrl.parse("app.url", app.url());
        PropertiesComponent properties = context.getPropertiesComponent();
        properties.addOverrideProperty("app.url", url.toString()); // camel-http appends each path to it
        properties.addOverrideProperty("server.appEui", appEui);
        ServerQueue queue = webServer(context, config, "server", Causes.Keys.APP, url, appEui,
                app.options().connection(), counters);
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
    public static ServerQueue webServer(CamelContext context, AppConfig config, String name, Causes.Keys keys, ServerUrl url,
                                 String appEui, ConnectionSettings s, Counters counters) {
        Tls.Pem serverCert = new Tls.Pem(keys.option("server_cert"), s.serverCert());
        Tls.Pem clientCert = new Tls.Pem(keys.option("client_cert"), s.clientCert());
        Tls.Pem apikey = new Tls.Pem(keys.option("apikey"), s.apikey());
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
        registry.bind(name + "Client", new ServerClient(tls, s.checkHostname(), session));
        registry.bind(name + "Settings", session.settingsFromInit());
        registry.bind(name + "DeviceSeen", session.deviceSeen());
        registry.bind(name + "Poll", session.downlinkPoll());
        context.addComponent(name, new ServerComponent(queue));
        return queue;
    }

    /** Bounded calls: a request waits for the API at most mpower.timeout, and a failed call is not sent again. */
    public static void boundCalls(CamelContext context, AppConfig.Mpower mpower) {
        for (String scheme : new String[] {"http", "https"}) {
            HttpComponent http = context.getComponent(scheme, HttpComponent.class);
            http.setConnectTimeout(mpower.timeoutMs());
            http.setConnectionRequestTimeout(mpower.timeoutMs());
            http.setResponseTimeout(mpower.timeoutMs());
            http.setSoTimeout(mpower.timeoutMs());
            http.setAutomaticRetriesDisabled(true);
        }
    }
}
