package io.camelappconnect.mqtt;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.BaseService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 7 (nothing lost) while a route stops, as a live reload or a restart stops it: an uplink whose exchange
 * fails because its route is stopping is no bad input. It is not acknowledged to the LNS broker; it waits, with one
 * that comes while no route runs, for the route that comes next, and both go through it in order. (Before: the
 * failed exchange was acknowledged as bad input and the uplink lost, 1 of 600 in a loaded LiveReloadTest.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Behaviour7RouteStoppingTest {

    private static final String FILTER = "lora/+/up";

    @TempDir
    Path store;

    @Test
    void anUplinkThatFailsWhileItsRouteStopsWaitsForTheNextRoute() throws Exception {
        try (Mosquitto broker = Mosquitto.start(); MqttProbe lns = new MqttProbe(broker.url());
             LogCapture log = LogCapture.capture(); DefaultCamelContext camel = new DefaultCamelContext()) {
            MqttConnection connection = MqttComponent.add(camel, new ConnectionConfig("lns", BrokerUrl.parse("lns.url", broker.url()), "stopping",
                    false, 60, null, "", ConnectionConfig.Password.of(""), null, ConnectionConfig.Ack.AFTER_ROUTE, 1000,
                    102_400, 0, 5_000, new ConnectionConfig.Backoff(100, 500),
                    new ConnectionConfig.Store(store, 1000, 1L << 20, -1), 256 * 1024, 1 << 20,
                    new Causes.Keys("lns.url", "lns."))).connection();
            List<String> routed = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch inRoute = new CountDownLatch(1);
            AtomicBoolean failWhileStopping = new AtomicBoolean(true);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("lns:" + FILTER).routeId("uplink").process(exchange -> {
                        String body = exchange.getIn().getBody(String.class);
                        if (body.equals("1") && failWhileStopping.get()) {
                            inRoute.countDown();
                            BaseService consumer = (BaseService) camel.getRoute("uplink").getConsumer();
                            await().atMost(20, TimeUnit.SECONDS).until(() -> !consumer.isRunAllowed());
                            throw new IllegalStateException("a step that fails as its route stops");
                        }
                        routed.add(body);
                    });
                }
            });
            camel.start();
            await().alias("the route subscribed").atMost(10, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> {
                        lns.publish("lora/dev/up", "0");
                        return routed.contains("0");
                    });

            lns.publish("lora/dev/up", "1");
            assertTrue(inRoute.await(10, TimeUnit.SECONDS), "uplink 1 in its route");
            camel.getRouteController().stopRoute("uplink", 10, TimeUnit.SECONDS);
            failWhileStopping.set(false);
            // uplink 1 handed back: it waits, unacknowledged (the hand-back may end just after stopRoute returned)
            await().alias("uplink 1 waiting for the next route").atMost(10, TimeUnit.SECONDS)
                    .until(() -> connection.waitingBytes(FILTER) == 1);
            lns.publish("lora/dev/up", "2"); // while no route runs
            camel.getRouteController().startRoute("uplink");

            await().alias("uplinks 1 and 2 through the route that came next").atMost(15, TimeUnit.SECONDS)
                    .until(() -> routed.contains("1") && routed.contains("2"));
            List<String> after;
            synchronized (routed) {
                after = routed.stream().filter(b -> !b.equals("0")).toList();
            }
            assertEquals(List.of("1", "2"), after, "each once, in order");
            assertTrue(log.warnings().stream().noneMatch(w -> w.contains("message on")),
                    "not handled as bad input: " + log.warnings());
        }
    }
}
