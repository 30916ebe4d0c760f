package io.camelappconnect.gateway;

import io.camelappconnect.gateway.AppConfig.CloudService;

/**
 * The options every broker connection has, named as the protocol document names the default app's
 * ({@code app.options.client_id}, ...): the same names follow {@code mqtt.connection.<name>.} and are a LENS
 * application's options (behaviour.md 8, 10). The defaults are written here once; the default app takes none of them,
 * as config/application.properties sets its every key.
 *
 * @param clientId empty: the connection's own default (an Azure IoT Hub's device id must be set)
 */
public record ConnectionSettings(String clientId, boolean cleanSession, int keepalive, String username, String password,
                                 String serverCert, String clientCert, String apikey, boolean checkHostname,
                                 CloudService cloudService, String sharedAccessKey) {

    /** Where the options come from: an option's text by its name, or {@code otherwise} when it is not set. */
    @FunctionalInterface
    public interface Source {
        String get(String name, String otherwise);
    }

    /** None set: the LNS broker's connection. */
    public static final ConnectionSettings DEFAULTS = read("", (name, otherwise) -> otherwise);

    /**
     * @param keyPrefix what names an option in an error: {@code app.options.}, {@code mqtt.connection.<name>.}, or a
     *                  LENS application's words
     * @throws IllegalArgumentException naming the option, for a value out of its range
     */
    public static ConnectionSettings read(String keyPrefix, Source options) {
        return new ConnectionSettings(options.get("client_id", ""),
                AppConfig.bool(keyPrefix + "clean_session", options.get("clean_session", "false")),
                AppConfig.number(keyPrefix + "keepalive", options.get("keepalive", "60"), 0, 65535),
                options.get("username", ""), options.get("password", ""), options.get("server_cert", ""),
                options.get("client_cert", ""), options.get("apikey", ""),
                AppConfig.bool(keyPrefix + "check_hostname", options.get("check_hostname", "true")),
                CloudService.parse(keyPrefix + "cloudService", options.get("cloudService", "NONE")),
                options.get("sharedAccessKey", ""));
    }

    /** Never the password, key or token: a record's own toString would show them in any log line that names it. */
    @Override
    public String toString() {
        return "ConnectionSettings[client_id=" + clientId + ", clean_session=" + cleanSession + ", keepalive="
                + keepalive + ", check_hostname=" + checkHostname + ", cloudService=" + cloudService + "]";
    }

    /** A hub's rules apply (behaviour.md 12). */
    public boolean azure() {
        return cloudService == CloudService.AZURE;
    }
}
