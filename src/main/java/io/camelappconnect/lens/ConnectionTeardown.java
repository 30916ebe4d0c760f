package io.camelappconnect.lens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.camelappconnect.store.MessageStore;
import io.camelappconnect.operations.Counters;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an application network's connection goes (behaviour.md 10): it says {@code close} (its route,
 * {@code direct:close-<connection>}, publishes it), its component stops, and when the application went from the
 * list, what its store still held is dropped, counted and said in a WARN.
 */
final class ConnectionTeardown {

    private static final Logger LOG = LoggerFactory.getLogger(AppNetworks.class);

    private final CamelContext context;
    private final Counters counters;

    ConnectionTeardown(CamelContext context, Counters counters) {
        this.context = context;
        this.counters = counters;
    }

    /** close, as a clean stop of the app says it, by the connection's close route; 5 s at the most. */
    void sendClose(String connection) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.asyncSendBody("direct:close-" + connection + "?block=false&failIfNoConsumers=false", "")
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{}: close not acknowledged within 5 s: {}", connection, e.toString());
        }
    }

    /** Its connection or web server stops: what it held in memory is kept in its store. */
    void removeComponent(String connection) {
        Component component = context.removeComponent(connection);
        if (component != null) {
            ServiceHelper.stopAndShutdownService(component);
        }
    }

    /** The store of an application that went: what it kept is dropped. */
    void dropStore(AppNet app, Path dir) {
        int kept;
        try (MessageStore store = new MessageStore(app.connection(), dir, Integer.MAX_VALUE, Long.MAX_VALUE, -1)) {
            kept = store.size();
        }
        if (kept > 0) {
            LOG.warn("application network {} removed with {} messages kept for it: dropped", app.eui(), kept);
            counters.appnetDropped(kept);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("{}: {} not removed: {}", app.connection(), dir, e.toString());
        }
    }
}
