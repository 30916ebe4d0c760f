package io.camelappconnect.mqtt;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pasted SAS token's expiry (an Azure IoT Hub connection): health DOWN once it is past, whatever the link says, and
 * a WARN a day before. Apart from {@link MqttConnection}, which only asks: the token is the configuration's.
 */
final class TokenExpiry {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class); // its lines are the connection's

    private TokenExpiry() {
    }

    /** The password's setting, as a WARN or health names it. */
    private static String passwordKey(ConnectionConfig config) {
        return config.keys().options() == null ? "the password" : config.keys().option("password");
    }

    /** A pasted SAS token past its expiry (the hub's clock is the wall clock): health DOWN, whatever the link says. */
    static String expired(ConnectionConfig config) {
        Instant expires = config.password().expires();
        return expires == null || Instant.now().isBefore(expires) ? null : passwordKey(config)
                + ": the SAS token expired at " + expires + ", and the hub refuses it: paste a new one, or set "
                + config.keys().option("sharedAccessKey") + " for tokens made and renewed by the bridge";
    }

    /** A WARN a day before a pasted SAS token expires, or at once when less than a day is left. */
    static void warn(ConnectionConfig config) {
        Instant expires = config.password().expires();
        Duration left = Duration.between(Instant.now(), expires);
        if (left.isNegative()) {
            LOG.warn("{}: {}", config.name(), expired(config));
        } else {
            LOG.warn("{}: {}: the SAS token expires at {} (in {} h): paste a new one before, or set {} for tokens made"
                    + " and renewed by the bridge", config.name(), passwordKey(config), expires, left.toHours(),
                    config.keys().option("sharedAccessKey"));
        }
    }
}
