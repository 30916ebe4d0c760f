package io.camelappconnect.operations;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * DOWN while any link (a broker connection, or the web server in HTTP mode) is not up, or its store can't be written,
 * saying which and why; each link's state as details. Read from the links when asked, so a connection added while the app runs is in it too.
 */
public final class BrokersHealthCheck extends AbstractHealthCheck {

    private final CamelContext context;

    public BrokersHealthCheck(CamelContext context) {
        super("camel-app-connect", "brokers");
        this.context = context;
    }

    /** A broker that is down makes the bridge not ready, but restarting it would not help: not a liveness check. */
    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        StringBuilder down = new StringBuilder();
        for (Link.State broker : Connections.states(context)) {
            builder.detail(broker.name() + ".connected", broker.connected());
            builder.detail(broker.name() + ".waiting", broker.waiting());
            if (!broker.connected()) {
                down.append(down.length() == 0 ? "" : "; ").append(broker.name()).append(": ").append(broker.lastCause());
            }
            if (broker.storeFault() != null) {
                builder.detail(broker.name() + ".store", broker.storeFault());
                down.append(down.length() == 0 ? "" : "; ").append(broker.name()).append(": ").append(broker.storeFault());
            }
        }
        if (down.length() == 0) {
            builder.up();
        } else {
            builder.down().message(down.toString());
        }
    }
}
