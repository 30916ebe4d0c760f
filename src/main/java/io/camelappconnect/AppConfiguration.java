package io.camelappconnect;

import io.camelappconnect.filter.Filters;
import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.gateway.MpowerSettings;
import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.operations.IdleThreadsEnd;
import io.camelappconnect.operations.Link;
import io.camelappconnect.operations.LogFile;
import io.camelappconnect.operations.Redact;
import io.camelappconnect.protocol.BackhaulThrottle;
import io.camelappconnect.setup.BrokerConnections;
import io.camelappconnect.setup.CloudBroker;
import io.camelappconnect.setup.CloudMode;
import io.camelappconnect.setup.HttpMode;
import io.camelappconnect.setup.LensNetworks;
import io.camelappconnect.setup.Lifecycle;
import io.camelappconnect.setup.ProtocolSteps;
import io.camelappconnect.setup.TemplatedRoutesReload;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds what the routes in {@code routes/} name, in this order: configuration read (and mPower's settings over it),
 * the gateway's identity, the placeholders ({@link CloudMode}: which routes run, the gateway's topics), the broker
 * connections ({@link BrokerConnections}: {@code lns:}, {@code cloud:}, and any declared as
 * {@code mqtt.connection.<name>.*}), the LENS application networks ({@link LensNetworks}), the steps the routes call by
 * name ({@link ProtocolSteps}), the cloud ({@link CloudBroker} or {@link HttpMode}), and what runs as the context starts
 * and stops ({@link Lifecycle}).
 */
public class AppConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(AppConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        IdleThreadsEnd pools = new IdleThreadsEnd(); // before any pool is made: the routes' start makes them
        pools.setCamelContext(context);
        context.getExecutorServiceManager().setThreadPoolFactory(pools);
        TemplatedRoutesReload.install(context); // live reload of a file with route templates
        PropertiesComponent properties = context.getPropertiesComponent();
        AppConfig config = AppConfig.load(properties);
        LogFile.configure(config.logging()); // first: mPower's Start sends standard output nowhere
        if (config.app().fromMpower()) {
            MpowerSettings.read(config.mpower()).forEach(properties::addOverrideProperty);
            config = AppConfig.load(properties);
        }
        AppConfig.App app = config.app();
        Identity gateway = Identity.resolve(config);
        CloudMode mode = CloudMode.of(app, gateway);
        mode.placeholders(properties, app, gateway);

        MqttComponent.add(context, BrokerConnections.lns(config, gateway.uuid()));
        for (AppConfig.Connection c : config.connections()) {
            MqttComponent.add(context, BrokerConnections.declared(config, c, gateway.uuid()));
        }
        Counters counters = new Counters();
        AppNetworks networks = mode.applicationNetworks()
                ? LensNetworks.start(context, config, gateway, mode.downlinkTopic(), counters) : null;
        ProtocolSteps.bind(context, app, mode, gateway, counters, networks == null ? other -> false : networks::has);
        Filters.bind(context, config.connections()); // deviceFilter, fieldFilter, <name>DeviceFilter, <name>FieldFilter
        HttpMode.boundCalls(context, config.mpower());
        ProducerTemplate template = context.createProducerTemplate();
        Link cloud = mode.http() ? HttpMode.defaultApp(context, config, mode.appEui(), counters)
                : CloudBroker.start(context, config, mode, gateway, counters, template);
        BackhaulThrottle backhaul = new BackhaulThrottle(cloud::isConnected, cloud::connects, app.backhaulDetect());
        context.getRegistry().bind("backhaulThrottle", networks == null ? backhaul
                : networks.backhaulThrottle(backhaul, app.backhaulDetect()));
        Lifecycle.bind(context, networks, counters, template);

        LOG.info("gateway {} (serial {}, EUIs {}): LNS {} -> cloud {}, API {}, AppEUI filter {}", gateway.uuid(),
                gateway.serial().isEmpty() ? "unknown" : gateway.serial(), gateway.euis(), Redact.text(config.lns().url()),
                Redact.text(app.url()), app.apiVersion(), mode.eui().isEmpty() ? "none" : mode.eui());
    }
}
