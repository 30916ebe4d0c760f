package io.camelappconnect.operations;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The bridge's counts as Micrometer meters, for /observe/metrics (Prometheus text). Read when scraped, from
 * {@link Counters} and the connections' states: only this class touches Micrometer, and only when management is on.
 */
public final class Metrics {

    private Metrics() {
    }

    /** @param context its broker connections at the time, each with its own series ({@code broker="<name>"}) */
    public static void bind(MeterRegistry registry, Counters counters, CamelContext context) {
        for (String event : Counters.EVENTS) {
            counter(registry, "app.forwarded", "LNS events handed to the cloud connection (sent, or kept while it is away)",
                    counters, c -> c.forwardedCount(event), "event", event);
        }
        for (String command : Counters.COMMANDS) {
            counter(registry, "app.commands", "cloud commands handed to the LNS connection",
                    counters, c -> c.commandCount(command), "command", command);
        }
        for (String kind : Counters.REQUESTS) { // one description: Prometheus keeps one per name
            for (boolean ok : new boolean[] {true, false}) {
                counter(registry, "app.requests", "requests answered: with their result, or refused with an error",
                        counters, c -> c.requestCount(kind, ok), "type", kind, "outcome", ok ? "answered" : "refused");
            }
        }
        counter(registry, "app.bad.input", "messages refused with a WARN", counters, Counters::badInputCount);
        counter(registry, "app.server.refused", "messages the web server refused with a 4xx (HTTP mode), dropped",
                counters, Counters::serverRefusedCount);
        counter(registry, "app.appnet.dropped", "messages kept for a LENS application network that was removed, dropped",
                counters, Counters::appnetDroppedCount);
        for (Link broker : Connections.of(context)) {
            bindLink(registry, broker);
        }
    }

    /** A link's meters, tagged with its name: one there at start, or a LENS application network's when it comes. */
    public static void bindLink(MeterRegistry registry, Link broker) {
        String name = broker.name();
        counter(registry, "app.kept", "messages kept on disk while the broker was away or had not acknowledged them",
                broker, b -> b.state().kept(), "broker", name);
        counter(registry, "app.dropped", "kept messages dropped because the store was full",
                broker, b -> b.state().dropped(), "broker", name);
        // every connect after the first
        counter(registry, "app.reconnects", "connections made again after the first",
                broker, b -> Math.max(0, b.connects() - 1), "broker", name);
        Gauge.builder("app.waiting", broker, b -> b.state().waiting()).description("messages waiting on disk")
                .tag("broker", name).register(registry);
        Gauge.builder("app.connected", broker, b -> b.isConnected() ? 1 : 0).description("1 while connected")
                .tag("broker", name).register(registry);
    }

    /** A link that went (a LENS application network removed or changed): its meters go too. */
    public static void removeLink(MeterRegistry registry, String name) {
        registry.getMeters().stream().filter(m -> name.equals(m.getId().getTag("broker"))).toList()
                .forEach(registry::remove);
    }

    private static <T> void counter(MeterRegistry registry, String name, String description, T source,
                                    ToDoubleFunction<T> count, String... tags) {
        FunctionCounter.builder(name, source, count).description(description).tags(tags).register(registry);
    }
}
