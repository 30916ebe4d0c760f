package io.camelappconnect.setup;

import java.util.Map;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.AppConfig.CloudService;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.http.ServerUrl;
import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.protocol.TopicTemplate;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the cloud is, as {@code app.url}'s scheme and {@code app.options.cloudService} say, and the placeholders the
 * routes read for it: which of them run (their precondition) and the gateway's topics.
 *
 * @param http         a web server (behaviour.md 9, routes/http-*.yaml)
 * @param azure        an Azure IoT Hub (behaviour.md 12, routes/azure-*.yaml)
 * @param eui          the {@code app.eui} filter, normalised; empty: none
 * @param appEui       {@code <APP>} in API 1.0's topics and the web server's paths: the filter, or all ff
 * @param gatewayTopic {@code topic.gateway}: where init, close, the will and the requests go
 * @param downlinkTopic {@code app.options.downlinkTopic} filled in; null when not set
 */
public record CloudMode(boolean http, boolean azure, boolean v10, String eui, String appEui, String gatewayTopic,
                 TopicTemplate.Subscription downlinkTopic) {

    private static final Logger LOG = LoggerFactory.getLogger(CloudMode.class);

    public static CloudMode of(AppConfig.App app, Identity gateway) {
        String eui = app.eui().isEmpty() || app.eui().equalsIgnoreCase(Eui.ANY) ? "" : normaliseFilter(app.eui());
        TopicTemplate.Subscription downlinkTopic = app.options().downlinkTopic().isEmpty() ? null
                : TopicTemplate.parse("app.options.downlinkTopic", app.options().downlinkTopic())
                        .subscription(Map.of("gwuuid", gateway.uuid(), "gwserial", gateway.serial()));
        boolean http = ServerUrl.isHttp(app.url());
        boolean azure = !http && app.options().connection().cloudService() == CloudService.AZURE;
        if (azure && app.v10()) {
            LOG.warn("app.apiVersion 1.0 with app.options.cloudService AZURE: a hub has none of its topics, so the"
                    + " default app is served as with 1.1, and LENS application networks are not read (they are with"
                    + " the default app on a broker)");
        }
        String appEui = eui.isEmpty() ? Eui.ANY : eui;
        // with API 1.0 lorawan/<APP>/<GW-UUID>
        String gatewayTopic = "lorawan/" + (app.v10() ? appEui + "/" : "") + gateway.uuid();
        return new CloudMode(http, azure, app.v10(), eui, appEui, gatewayTopic, downlinkTopic);
    }

    /** The protocol's lorawan/... topics on a broker. */
    public boolean lorawan() {
        return !http && !azure;
    }

    /** API 1.0 on a broker: LENS application networks are read (behaviour.md 10). */
    public boolean applicationNetworks() {
        return lorawan() && v10;
    }

    /** The placeholders routes/*.yaml read; they take only true/false, so yes, on and 1 become true. */
    public void placeholders(PropertiesComponent properties, AppConfig.App app, Identity gateway) {
        properties.addOverrideProperty("cloud.mqtt", String.valueOf(lorawan()));
        properties.addOverrideProperty("cloud.http", String.valueOf(http));
        properties.addOverrideProperty("cloud.azure", String.valueOf(azure));
        properties.addOverrideProperty("azure.deviceId", azure ? app.options().connection().clientId() : "");
        // requests come as the protocol's X_req topics or as a hub's direct methods, and a LENS application network
        // may be on a hub (the commands' work of routes/azure-downlinks.yaml)
        properties.addOverrideProperty("cloud.broker", String.valueOf(!http));
        // and app.apiVersion the MQTT topics: 1.0's (routes/*-api10.yaml, behaviour.md 10), or 1.1's
        properties.addOverrideProperty("cloud.api10", String.valueOf(applicationNetworks()));
        properties.addOverrideProperty("cloud.api11", String.valueOf(lorawan() && !v10));
        // a web server may be there: the default app's, or with API 1.0 a LENS application network's
        properties.addOverrideProperty("cloud.webServers", String.valueOf(http || applicationNetworks()));
        properties.addOverrideProperty("gateway.uuid", gateway.uuid());
        properties.addOverrideProperty("topic.gateway", gatewayTopic);
        // API 1.0's downlinks and clears of the default app (routes/downlinks-api10.yaml)
        properties.addOverrideProperty("topic.down10", downlinkTopic != null ? downlinkTopic.filter()
                : AppNetworks.filters(appEui, gateway.uuid(), gateway.euis(), "down"));
        properties.addOverrideProperty("topic.clear10", AppNetworks.filters(appEui, gateway.uuid(), gateway.euis(), "clear"));
        if (downlinkTopic != null) { // routes/downlinks.yaml subscribes to lorawan/<GW-UUID>/down otherwise
            properties.addOverrideProperty("topic.down", downlinkTopic.filter());
        }
        properties.addOverrideProperty("protocol.v111", String.valueOf(app.v111()));
        properties.addOverrideProperty("app.retain", String.valueOf(app.retain()));
        properties.addOverrideProperty("app.backhaulDetect.enabled", String.valueOf(app.backhaulDetect().enabled()));
        AppConfig.RequestOptions on = app.requestOptions();
        properties.addOverrideProperty("app.requestOptions.lora", String.valueOf(on.lora()));
        properties.addOverrideProperty("app.requestOptions.api", String.valueOf(on.api()));
        properties.addOverrideProperty("app.requestOptions.log", String.valueOf(on.log()));
    }

    private static String normaliseFilter(String eui) {
        try {
            return Eui.normalise(eui);
        } catch (BadMessage e) {
            throw new IllegalArgumentException("app.eui=" + eui + ": " + e.getMessage());
        }
    }
}
