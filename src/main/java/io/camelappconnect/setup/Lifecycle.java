package io.camelappconnect.setup;

import java.util.concurrent.TimeUnit;

import io.camelappconnect.lens.AppNetworks;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.operations.Link;
import io.camelappconnect.operations.Metrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.OnCamelContextStarted;
import org.apache.camel.spi.OnCamelContextStopping;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What happens as the context starts (the counts behind /observe/metrics) and as it stops (close). */
public final class Lifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private Lifecycle() {
    }

    /** @param networks the LENS application networks; null when none are read */
    public static void bind(CamelContext context, AppNetworks networks, Counters counters, ProducerTemplate template) {
        Registry registry = context.getRegistry();
        // the start of a graceful stop; it may not wait for a route that is not there (a user may remove one). close
        // waits until the cloud took it (its PUBACK, or the server's answer), 5 s at the most: a silent link must not
        // hold up the stop
        registry.bind("closeOnStop", (OnCamelContextStopping) c -> {
            try {
                if (networks != null) {
                    networks.closeAll();
                }
                template.asyncSendBody("direct:close?block=false&failIfNoConsumers=false", "").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("close not acknowledged by the cloud within 5 s: {}", e.toString());
            }
        });
        // camel.metrics.enabled makes the meter registry while the context starts; without it Micrometer stays unloaded
        registry.bind("bindMetrics", (OnCamelContextStarted) c -> {
            Object meters = registry.lookupByName("metricsRegistry");
            try {
                if (meters != null) {
                    bindMetrics((MeterRegistry) meters, context, networks, counters);
                }
            } catch (RuntimeException e) { // the other start hooks still run; the bridge does without the counts
                LOG.warn("/observe/metrics will lack the app_* counts: {}", e.toString());
            }
        });
    }

    private static void bindMetrics(MeterRegistry meters, CamelContext context, AppNetworks networks,
                                    Counters counters) {
        if (networks != null) { // first: an application network that comes meanwhile is not missed
            networks.watch(new AppNetworks.LinkWatcher() {
                @Override
                public void added(Link link) {
                    Metrics.bindLink(meters, link);
                }

                @Override
                public void removed(String name) {
                    Metrics.removeLink(meters, name);
                }
            });
        }
        Metrics.bind(meters, counters, context);
    }
}
