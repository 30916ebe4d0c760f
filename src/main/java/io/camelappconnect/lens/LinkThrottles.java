package io.camelappconnect.lens;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.operations.Link;
import io.camelappconnect.protocol.BackhaulThrottle;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Step {@code backhaulThrottle} with API 1.0 (behaviour.md 6): each device is told of its own application's link, by
 * a throttle of that link's; the default app's devices by the main one.
 */
final class LinkThrottles implements Processor {

    private final CamelContext context;
    private final BackhaulThrottle main;
    private final AppConfig.BackhaulDetect config;
    /**
     * The throttle of each application's link, removed with its connection ({@link #forget}): a throttle holds its
     * link, and so the whole old connection, so weak keys never let go of it.
     */
    private final Map<Link, BackhaulThrottle> throttles = new ConcurrentHashMap<>();

    LinkThrottles(CamelContext context, BackhaulThrottle main, AppConfig.BackhaulDetect config) {
        this.context = context;
        this.main = main;
        this.config = config;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String connection = exchange.getMessage().getHeader(AppNetworks.APP, String.class);
        Component component = connection == null || connection.equals(AppNetworks.DEFAULT) ? null
                : context.hasComponent(connection);
        if (!(component instanceof Link.Source source)) {
            main.process(exchange);
            return;
        }
        throttles.computeIfAbsent(source.link(), link -> new BackhaulThrottle(link::isConnected, link::connects,
                config)).process(exchange);
    }

    /** The connection's throttle goes with it. */
    void forget(String connection) {
        throttles.keySet().removeIf(link -> link.name().equals(connection));
    }

    int held() {
        return throttles.size();
    }
}
