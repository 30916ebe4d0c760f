package io.camelappconnect.setup;

import java.nio.file.Path;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.http.ServerUrl;
import io.camelappconnect.lens.AppNet;
import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.protocol.TopicTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.OnCamelContextStarted;
import org.apache.camel.spi.Registry;

/**
 * API 1.0 on MQTT (behaviour.md 10): the LENS application networks, each with its connection (an MQTT one, or a web
 * server) and its routes; read before the LNS connects, their routes made once the route files are read.
 */
public final class LensNetworks {

    private LensNetworks() {
    }

    public static AppNetworks start(CamelContext context, AppConfig config, Identity gateway,
                             TopicTemplate.Subscription downlinkTopic, Counters counters) throws InterruptedException {
        AppNetworks.Setup setup = new AppNetworks.Setup() {
            @Override
            public String add(AppNet network) {
                Causes.Keys keys = Causes.Keys.applicationNetwork(network.eui());
                if (ServerUrl.isHttp(network.url())) {
                    ServerUrl url = ServerUrl.parse(keys.url(), network.url());
                    HttpMode.webServer(context, config, network.connection(), keys, url, network.eui(),
                            BrokerConnections.settings(keys, network), counters);
                    return url.toString();
                }
                MqttComponent.add(context, BrokerConnections.applicationNetwork(config, network, gateway.uuid()));
                return null;
            }

            @Override
            public Path store(AppNet network) {
                return Path.of(config.store().dir(), network.connection());
            }
        };
        AppNetworks networks = new AppNetworks(context, setup, gateway.uuid(), gateway.euis(), downlinkTopic,
                config.app().options().overrideTopicsForAllApps(), config.loraQuery().command(),
                config.loraQuery().timeoutMs(), config.appnet().refreshMs(), counters);
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
}
