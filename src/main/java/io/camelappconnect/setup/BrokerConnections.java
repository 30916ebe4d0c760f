package io.camelappconnect.setup;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import io.camelappconnect.azure.SasToken;
import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.ConnectionSettings;
import io.camelappconnect.lens.AppNet;
import io.camelappconnect.mqtt.BrokerUrl;
import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.mqtt.ConnectionConfig;
import io.camelappconnect.mqtt.ConnectionConfig.Ack;
import io.camelappconnect.tls.Tls;
import io.camelappconnect.operations.Redact;
import io.camelappconnect.message.Eui;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every MQTT connection as configuration declares it: the LNS broker's, the cloud's, the user's own
 * ({@code mqtt.connection.<name>.*}) and a LENS application network's. The tuning ({@code mqtt.*}, {@code store.*})
 * is shared, each store in its own directory under store.dir with the whole bound (uplinks and downlinks don't compete).
 */
public final class BrokerConnections {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConnections.class);
    /** The longest keepalive an Azure IoT Hub takes (Microsoft: "Communicate with an IoT hub using MQTT"). */
    private static final int AZURE_MAX_KEEPALIVE = 1177;
    private static final String AZURE_API_VERSION = "2021-04-12";
    private static final String AZURE_WEBSOCKET_PATH = "$iothub/websocket";
    /** The biggest device-to-cloud message a hub takes (Microsoft's quotas). */
    private static final int AZURE_MAX_D2C_BYTES = 256 * 1024;

    private BrokerConnections() {
    }

    /** A persistent session: uplinks the LNS publishes while the app restarts wait on its broker. */
    public static ConnectionConfig lns(AppConfig config, String gatewayUuid) {
        return connection(config, "lns", new Causes.Keys("lns.url", null), config.lns().url(),
                ConnectionSettings.DEFAULTS, "camel-app-connect/" + gatewayUuid, "", Ack.AFTER_ROUTE);
    }

    /**
     * What the cloud asks is done at most once (a command run twice queues two downlinks); what the gateway reports is
     * delivered at least once. The will goes on the very first CONNECT too.
     */
    public static ConnectionConfig cloud(AppConfig config, CloudMode mode, String gatewayUuid) {
        AppConfig.App app = config.app();
        return connection(config, "cloud", Causes.Keys.APP, app.url(), app.options().connection(),
                "lorawan/" + (mode.v10() ? mode.appEui() : Eui.ANY) + "/" + gatewayUuid,
                mode.gatewayTopic() + "/disconnected", Ack.ON_ARRIVAL);
    }

    /** A connection of the user's own (mqtt.connection.NAME.*), or one added while the app runs. */
    public static ConnectionConfig declared(AppConfig config, AppConfig.Connection c, String gatewayUuid) {
        String key = "mqtt.connection." + c.name() + ".";
        return connection(config, c.name(), new Causes.Keys(key + "url", key), c.url(), c.settings(),
                "camel-app-connect/" + c.name() + "/" + gatewayUuid, c.will(), Ack.parse(key + "ack", c.ack()));
    }

    /** A LENS application network's connection: its options named as the default app's, its topics under its AppEUI. */
    public static ConnectionConfig applicationNetwork(AppConfig config, AppNet network, String gatewayUuid) {
        Causes.Keys keys = Causes.Keys.applicationNetwork(network.eui());
        String topic = "lorawan/" + network.eui() + "/" + gatewayUuid;
        return connection(config, network.connection(), keys, network.url(), settings(keys, network), topic,
                topic + "/disconnected", Ack.ON_ARRIVAL);
    }

    /** A LENS application network's options, its errors naming it. */
    public static ConnectionSettings settings(Causes.Keys keys, AppNet network) {
        return ConnectionSettings.read(keys.option(""), network::option);
    }

    /**
     * @param defaultClientId when client_id is empty; an Azure IoT Hub needs the device id there
     * @param will            the will's topic (empty payload); empty: none
     */
    private static ConnectionConfig connection(AppConfig config, String name, Causes.Keys keys, String url,
                                               ConnectionSettings s, String defaultClientId, String will, Ack ack) {
        BrokerUrl broker = BrokerUrl.parse(keys.url(), url);
        String username = s.username();
        int keepalive = s.keepalive();
        ConnectionConfig.Password login = ConnectionConfig.Password.of(s.password());
        if (s.azure()) { // the hub's rules (behaviour.md 12)
            if (s.clientId().isEmpty()) {
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
                username = broker.host() + "/" + s.clientId() + "/?api-version=" + AZURE_API_VERSION;
            }
            login = hubLogin(config, keys, broker, s);
        } else if (!s.sharedAccessKey().isEmpty()) {
            LOG.warn("{}: not used, {} is not AZURE", keys.option("sharedAccessKey"), keys.option("cloudService"));
        }
        Tls.Pem serverCert = new Tls.Pem(keys.option("server_cert"), s.serverCert());
        Tls.Pem clientCert = new Tls.Pem(keys.option("client_cert"), s.clientCert());
        Tls.Pem apikey = new Tls.Pem(keys.option("apikey"), s.apikey());
        MqttClientSslConfig tls = null;
        if (broker.tls()) {
            tls = Tls.config(serverCert, clientCert, apikey, s.checkHostname()); // read now: bad PEM stops the start
        } else if (serverCert.isSet() || clientCert.isSet() || apikey.isSet()) {
            // as MultiTech's app: certificates left over from a TLS setup don't stop a plain connection
            LOG.warn("{}, {}, {}: not used, {} {} is not TLS (mqtts://, ssl://, wss://)", serverCert.key(),
                    clientCert.key(), apikey.key(), keys.url(), Redact.text(url));
        }
        AppConfig.Mqtt mqtt = config.mqtt();
        AppConfig.Store store = config.store();
        int maxPayloadBytes = mqtt.maxPayloadBytes();
        if (s.azure() && maxPayloadBytes > AZURE_MAX_D2C_BYTES) {
            // the hub refuses a bigger message: over it, an uplink is refused here with a WARN and counted as bad input
            LOG.warn("mqtt.maxPayloadBytes={}: an Azure IoT Hub takes {} bytes at most; {} uses that",
                    maxPayloadBytes, AZURE_MAX_D2C_BYTES, name);
            maxPayloadBytes = AZURE_MAX_D2C_BYTES;
        }
        return new ConnectionConfig(name, broker, s.clientId().isEmpty() ? defaultClientId : s.clientId(),
                s.cleanSession(), keepalive, tls, username, login,
                will.isEmpty() ? null : new ConnectionConfig.Will(will, new byte[0]), ack, mqtt.maxInflight(),
                maxPayloadBytes, mqtt.maxPublishRate(), mqtt.connectTimeoutMs(),
                new ConnectionConfig.Backoff(mqtt.reconnectInitialMs(), mqtt.reconnectMaxMs()),
                new ConnectionConfig.Store(Path.of(store.dir(), name), store.maxMessages(), store.maxMiB() * 1024L * 1024L,
                        store.syncMs()), mqtt.maxIncomingBytes(), mqtt.maxWaitingBytes(), keys);
    }

    /** The device key makes each SAS token; without it, the token pasted in password (behaviour.md 12). */
    private static ConnectionConfig.Password hubLogin(AppConfig config, Causes.Keys keys, BrokerUrl broker,
                                                      ConnectionSettings s) {
        if (s.sharedAccessKey().isEmpty()) {
            return SasToken.pasted(s.password());
        }
        if (!s.password().isEmpty()) {
            LOG.warn("{}: not used, {} makes the SAS tokens", keys.option("password"), keys.option("sharedAccessKey"));
        }
        return SasToken.renewed(SasToken.resourceUri(broker.host(), s.clientId()),
                SasToken.key(keys.option("sharedAccessKey"), s.sharedAccessKey()),
                Duration.ofSeconds(config.azure().tokenTtlSeconds()), Clock.systemUTC());
    }
}
