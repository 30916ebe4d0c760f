package io.camelappconnect.lens;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.protocol.TopicTemplate;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of a LENS application network (behaviour.md 10), made from the route files' templates under the ids
 * {@code <template>-<connection>}: those of an MQTT connection (routes/*-api10.yaml, routes/appnets.yaml, its
 * retained-command of routes/downlinks.yaml), of an Azure IoT Hub's device (routes/azure-*.yaml), or of a web server
 * (routes/http-*.yaml).
 */
final class AppNetRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AppNetRoutes.class);
    /** The route templates an application's routes are made from. */
    private static final List<String> TEMPLATES = List.of("app-up", "app-joined", "app-moved", "retained-command",
            "app-down", "app-clear", "app-init", "app-close", "server-up", "server-joined", "server-moved",
            "server-posts", "server-poll", "server-init", "server-close", "hub-up", "hub-joined", "hub-moved",
            "hub-init", "hub-close", "hub-c2d");

    private final CamelContext context;
    private final String gatewayUuid;
    private final List<String> gatewayEuis;
    /** The default app's app.options.downlinkTopic, or null. */
    private final TopicTemplate.Subscription downlinkTopic;
    private final boolean overrideTopicsForAllApps;

    AppNetRoutes(CamelContext context, String gatewayUuid, List<String> gatewayEuis,
                 TopicTemplate.Subscription downlinkTopic, boolean overrideTopicsForAllApps) {
        this.context = context;
        this.gatewayUuid = gatewayUuid;
        this.gatewayEuis = gatewayEuis;
        this.downlinkTopic = downlinkTopic;
        this.overrideTopicsForAllApps = overrideTopicsForAllApps;
    }

    /** @param webServer the web server's URL as its routes post to it; null for an MQTT connection */
    void add(AppNet app, String webServer) throws Exception {
        String c = app.connection();
        if (webServer == null && AppConfig.CloudService.parse("cloudService", app.option("cloudService", "NONE"))
                == AppConfig.CloudService.AZURE) {
            hubRoutes(c, app.option("client_id", ""));
            return;
        }
        if (webServer == null) {
            mqttRoutes(c, app.eui());
            return;
        }
        add("server-up", c, Map.of());
        add("server-joined", c, Map.of());
        add("server-moved", c, Map.of());
        add("server-posts", c, Map.of("url", webServer));
        add("server-poll", c, Map.of("url", webServer, "appEui", app.eui()));
        add("server-init", c, Map.of("appEui", app.eui()));
        add("server-close", c, Map.of("appEui", app.eui(), "closeOn", "direct:close-" + c));
    }

    /**
     * An MQTT application network's routes: its uplinks, joins, moves, downlinks, clears (a retained one cleared on its
     * broker), init and close; with overrideTopicsForAllApps, the default app's app.options.uplinkTopic and
     * downlinkTopic apply.
     */
    private void mqttRoutes(String connection, String appEui) throws Exception {
        boolean custom = overrideTopicsForAllApps;
        add("app-up", connection, Map.of("uplinkTopicTemplate", custom ? "uplinkTopicTemplate" : "noTopicTemplate"));
        add("app-joined", connection, Map.of());
        add("app-moved", connection, Map.of());
        add("retained-command", connection, Map.of());
        add("app-down", connection, Map.of("device", custom ? "downlinkDevice" : "downlinkDeviceApi10", "filters",
                custom && downlinkTopic != null ? downlinkTopic.filter()
                        : AppNetworks.filters(appEui, gatewayUuid, gatewayEuis, "down")));
        add("app-clear", connection, Map.of("filters", AppNetworks.filters(appEui, gatewayUuid, gatewayEuis, "clear")));
        add("app-init", connection, Map.of("appEui", appEui));
        add("app-close", connection, Map.of("appEui", appEui));
    }

    /** A hub's device: D2C messages and C2D messages, no requests (they come on the default app's connection). */
    private void hubRoutes(String connection, String deviceId) throws Exception {
        add("hub-up", connection, Map.of("deviceId", deviceId,
                "uplinkTopicTemplate", overrideTopicsForAllApps ? "uplinkTopicTemplate" : "noTopicTemplate"));
        add("hub-joined", connection, Map.of("deviceId", deviceId));
        add("hub-moved", connection, Map.of("deviceId", deviceId));
        add("hub-init", connection, Map.of("deviceId", deviceId));
        add("hub-close", connection, Map.of("deviceId", deviceId, "closeOn", "direct:close-" + connection));
        add("hub-c2d", connection, Map.of("deviceId", deviceId));
    }

    private void add(String template, String connection, Map<String, Object> parameters) throws Exception {
        Map<String, Object> all = new HashMap<>(parameters);
        all.put("connection", connection);
        all.put("enabled", "true");
        context.addRouteFromTemplate(template + "-" + connection, template, all);
    }

    /** Stops and removes whichever of the connection's routes there are. */
    void remove(String connection) {
        for (String template : TEMPLATES) {
            String id = template + "-" + connection;
            if (context.getRoute(id) != null) {
                try {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                } catch (Exception e) {
                    LOG.warn("{}: route {} not removed: {}", connection, id, e.toString());
                }
            }
        }
    }
}
