package io.camelappconnect.gateway;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.camelappconnect.operations.LogFile.Logging;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The configuration as {@code config/application.properties} documents it: the protocol document's
 * "Application configuration" under {@code app.}, then the gateway-side keys of behaviour.md 8.
 */
public record AppConfig(App app, Lns lns, Gateway gateway, LoraQuery loraQuery, Mpower mpower, Logs logs, Mqtt mqtt,
                        Http http, Appnet appnet, Store store, Logging logging, Azure azure,
                        List<Connection> connections) {

    /** @param fromMpower app.source=mpower: the app.* settings come from mPower's Cloud Connector page */
    public record App(boolean fromMpower, String url, String eui, boolean encodeHex, Options options,
                      RequestOptions requestOptions, BackhaulDetect backhaulDetect, String apiVersion, boolean retain) {
        /** API 1.1.1 adds {@code connected} and {@code clear}. */
        public boolean v111() {
            return "1.1.1".equals(apiVersion);
        }

        /** API 1.0: the topics of behaviour.md 10, under the AppEUI. */
        public boolean v10() {
            return "1.0".equals(apiVersion);
        }
    }

    /** @param connection the options every connection has, named as here (app.options.client_id, ...) */
    public record Options(ConnectionSettings connection, String uplinkTopic, String downlinkTopic,
                          boolean overrideTopicsForAllApps) {
    }

    /** What the broker at the URL is: any MQTT broker, or an Azure IoT Hub (behaviour.md 12). */
    public enum CloudService {
        NONE, AZURE;

        /** @throws IllegalArgumentException naming the key */
        public static CloudService parse(String key, String value) {
            return switch (value) {
                case "NONE", "" -> NONE;
                case "AZURE" -> AZURE;
                default -> throw new IllegalArgumentException(key + "=" + value + ": must be NONE or AZURE");
            };
        }
    }

    /** Azure IoT Hub: how long a SAS token the bridge makes is valid, in seconds. */
    public record Azure(int tokenTtlSeconds) {
    }

    public record RequestOptions(boolean api, boolean log, boolean lora) {
    }

    /** behaviour.md 6: a downlink of {@code payload} (hex) on {@code port} to each device heard while the cloud is away. */
    public record BackhaulDetect(boolean enabled, String payload, int port, int timeoutSeconds) {
    }

    public record Lns(String url) {
    }

    public record Gateway(String uuid, String serial, String euis) {
    }

    public record LoraQuery(String command, int timeoutMs) {
    }

    public record Mpower(String url, int timeoutMs, String username, String password, int maxAnswerBytes) {
    }

    /** What log_req may read, and how much of it. */
    public record Logs(String dir, int maxLines, int maxAnswerBytes, int maxScanMiB, int timeoutMs) {
    }

    /** Connection tuning shared by every connection. */
    public record Mqtt(int maxInflight, int maxPayloadBytes, int maxPublishRate, int connectTimeoutMs,
                       long reconnectInitialMs, long reconnectMaxMs, int maxIncomingBytes, int maxWaitingBytes) {
    }

    /** API 1.0: how often the LENS application networks are read again. */
    public record Appnet(long refreshMs) {
    }

    /** HTTP mode (behaviour.md 9): the backoff of a post the web server did not take, in ms. */
    public record Http(long retryInitialMs, long retryMaxMs) {
    }

    /** behaviour.md 7: where messages for an unreachable broker wait, how many of them, how often synced. */
    public record Store(String dir, int maxMessages, int maxMiB, int syncMs) {
    }

    /**
     * A connection of the user's own, {@code mqtt.connection.<name>.*}: its keys are named as the cloud's
     * {@code app.options.*}; the tuning ({@code mqtt.*}, {@code store.*}) is shared.
     *
     * @param will the will's topic; empty: none
     * @param ack  afterRoute or onArrival
     */
    public record Connection(String name, String url, String will, String ack, ConnectionSettings settings) {
    }

    private static final String CONNECTION = "mqtt.connection.";

    public static AppConfig load(PropertiesComponent properties) {
        Reader r = new Reader(properties);
        String source = r.text("app.source");
        if (!source.equals("file") && !source.equals("mpower")) {
            throw new IllegalArgumentException("app.source=" + source + ": must be file or mpower");
        }
        String apiVersion = r.text("app.apiVersion");
        if (!apiVersion.equals("1.0") && !apiVersion.equals("1.1") && !apiVersion.equals("1.1.1")) {
            throw new IllegalArgumentException("app.apiVersion=" + apiVersion + ": must be 1.0, 1.1 or 1.1.1");
        }
        // the file sets every app.options key: a missing one is an error, not ConnectionSettings' default
        Options options = new Options(ConnectionSettings.read("app.options.", (name, otherwise) -> r.text("app.options." + name)),
                r.text("app.options.uplinkTopic"), r.text("app.options.downlinkTopic"),
                r.bool("app.options.overrideTopicsForAllApps"));
        // MQTT's own limit (268,435,460) at most; a request (64 KiB) at least
        int maxIncomingBytes = r.number("mqtt.maxIncomingBytes", 65_536 + 1024, 268_435_460);
        return new AppConfig(
                new App(source.equals("mpower"), r.text("app.url"), r.text("app.eui"), r.bool("app.encodeHex"), options,
                        new RequestOptions(r.bool("app.requestOptions.api"), r.bool("app.requestOptions.log"),
                                r.bool("app.requestOptions.lora")),
                        new BackhaulDetect(r.bool("app.backhaulDetect.enabled"),
                                r.text("app.backhaulDetect.payload"),
                                r.number("app.backhaulDetect.port", 1, 223),
                                r.number("app.backhaulDetect.timeout", 1, 86_400)),
                        apiVersion, r.bool("app.retain")),
                new Lns(r.text("lns.url")),
                new Gateway(r.text("gateway.uuid"), r.text("gateway.serial"), r.text("gateway.euis")),
                new LoraQuery(r.text("loraQuery.command"), r.number("loraQuery.timeout", 100, 600_000)),
                new Mpower(r.text("mpower.url"), r.number("mpower.timeout", 100, 600_000),
                        r.text("mpower.username"), r.text("mpower.password"),
                        r.number("mpower.maxAnswerBytes", 1024, 64 * 1024 * 1024)),
                new Logs(r.text("logs.dir"), r.number("logs.maxLines", 1, 100_000),
                        r.number("logs.maxAnswerBytes", 1024, 16 * 1024 * 1024),
                        r.number("logs.maxScanMiB", 1, 4096), r.number("logs.timeout", 100, 600_000)),
                new Mqtt(r.number("mqtt.maxInflight", 1, 65535),
                        r.number("mqtt.maxPayloadBytes", 1024, 256 * 1024 * 1024),
                        r.number("mqtt.maxPublishRate", 0, 1_000_000),
                        r.number("mqtt.connectTimeout", 100, 600_000),
                        r.number("mqtt.reconnect.initialDelay", 10, 3_600_000),
                        r.number("mqtt.reconnect.maxDelay", 10, 3_600_000), maxIncomingBytes,
                        r.number("mqtt.maxWaitingBytes", maxIncomingBytes, Integer.MAX_VALUE)),
                new Http(r.number("http.retry.initialDelay", 10, 3_600_000), r.number("http.retry.maxDelay", 10, 3_600_000)),
                new Appnet(r.number("appnet.refresh", 100, 86_400_000)),
                new Store(r.text("store.dir"), r.number("store.maxMessages", 1, 10_000_000),
                        r.number("store.maxMiB", 1, 65_536), r.number("store.syncMs", -1, 3_600_000)),
                new Logging(r.text("logging.file"), r.number("logging.maxFileMiB", 1, 1024),
                        r.number("logging.maxFiles", 1, 20)),
                new Azure(r.number("azure.tokenTtl", 10, 86_400)),
                connectionNames(properties).stream().map(name -> connection(r, name)).toList());
    }

    /** The names under mqtt.connection., in the file, overrides and system properties alike. */
    private static Set<String> connectionNames(PropertiesComponent properties) {
        Set<String> names = new TreeSet<>();
        Stream.concat(properties.loadProperties(k -> k.startsWith(CONNECTION)).stringPropertyNames().stream(),
                        System.getProperties().stringPropertyNames().stream())
                .filter(k -> k.startsWith(CONNECTION) && k.indexOf('.', CONNECTION.length()) > 0)
                .forEach(k -> names.add(k.substring(CONNECTION.length(), k.indexOf('.', CONNECTION.length()))));
        return names;
    }

    private static Connection connection(Reader r, String name) {
        if (!name.matches("[a-z][a-z0-9-]*") || name.equals("cloud") || name.equals("lns")) {
            throw new IllegalArgumentException(CONNECTION + name + ": a connection's name is its routes' scheme: lower"
                    + " case letters, digits and '-', starting with a letter, and not cloud or lns (built in)");
        }
        String key = CONNECTION + name + ".";
        return new Connection(name, r.text(key + "url", ""), r.text(key + "will", ""), r.text(key + "ack", "afterRoute"),
                ConnectionSettings.read(key, (option, otherwise) -> r.text(key + option, otherwise)));
    }

    /**
     * Reads each key as config/application.properties (or -D, or the environment) sets it. The file is the one place
     * a default is written: a key missing everywhere is an error that says so, not a second default here.
     */
    private record Reader(PropertiesComponent properties) {
        String text(String key) {
            return properties.resolveProperty(key).map(String::trim).orElseThrow(() -> new IllegalArgumentException(
                    key + " is not set: config/application.properties sets every key; take the missing line from"
                            + " this release's copy of it"));
        }

        /** A connection's own key ({@code mqtt.connection.<name>.*}): its default is its class's, given here. */
        String text(String key, String otherwise) {
            return properties.resolveProperty(key).map(String::trim).orElse(otherwise);
        }

        boolean bool(String key) {
            return AppConfig.bool(key, text(key));
        }

        int number(String key, int min, int max) {
            return AppConfig.number(key, text(key), min, max);
        }
    }

    /** true, 1, yes, on or false, 0, no, off, in any case. */
    static boolean bool(String key, String text) {
        String value = text.toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new IllegalArgumentException(key + "=" + value + ": must be true or false");
        };
    }

    static int number(String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "=" + value + ": must be a whole number from " + min + " to " + max);
    }
}
