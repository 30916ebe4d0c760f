package io.camelappconnect.health;

import java.util.Map;

import io.camelappconnect.mqtt.BrokerComponent;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while either broker is unreachable, saying which and why. camel-paho's own checks can't tell: its consumers
 * stay "started" with the broker gone, since our connections reconnect underneath them.
 */
public final class BrokersHealthCheck extends AbstractHealthCheck {

    private final BrokerComponent[] brokers;

    public BrokersHealthCheck(BrokerComponent... brokers) {
        super("camel-app-connect", "brokers");
        this.brokers = brokers;
    }

    /** A broker that is down makes the bridge not ready, but restarting it would not help: not a liveness check. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StringBuilder down = new StringBuilder();
        for (BrokerComponent broker : brokers) {
            builder.detail(broker.name() + ".connected", broker.isConnected());
            builder.detail(broker.name() + ".waiting", broker.waiting());
            if (!broker.isConnected()) {
                down.append(down.length() == 0 ? "" : "; ").append(broker.name()).append(": ").append(broker.lastCause());
            }
        }
        if (down.length() == 0) {
            builder.up();
        } else {
            builder.down().message(down.toString());
        }
    }
}
