package io.camelappconnect.mqtt;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 finding 2 (bytes waiting per subscription, mqtt.maxWaitingBytes) and behaviour.md 7 (nothing lost): a route
 * that is slow to take its messages (held shut here, as a route whose LNS and disk are both away would be) while the
 * broker sends ten times the bound, in messages of 200 KiB (under mqtt.maxIncomingBytes). At most the bound waits in
 * the app; what comes over it is left unacknowledged, said once in a WARN, and sent again by the broker once the route
 * has caught up (the connection is made anew for it: MQTT 3.1.1 sends an unacknowledged message again only then).
 * Both ways of acknowledging: on arrival (the cloud's commands) and after the route (the LNS's uplinks). Real
 * Mosquitto, our connection with HiveMQ's client, counted per message: 0 lost, 0 out of order, duplicates counted.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class Behaviour7WaitingBytesBoundTest {

    private static final String FILTER = "lorawan/gw/down";
    private static final int BOUND = 1024 * 1024;
    private static final int SIZE = 200 * 1024;
    private static final int MESSAGES = 50; // 10 MB: ten times the bound

    @TempDir
    Path store;

    @ParameterizedTest
    @EnumSource(ConnectionConfig.Ack.class)
    void aSlowRouteHoldsAtMostTheBoundAndLosesNothing(ConnectionConfig.Ack ack) throws Exception {
        try (Mosquitto broker = Mosquitto.start(); LogCapture log = LogCapture.capture();
             MqttProbe cloud = new MqttProbe(broker.url())) {
            MqttConnection connection = new MqttConnection(new ConnectionConfig("bounded", BrokerUrl.parse("url",
                    broker.url()), "bounded-" + ack, false, 60, null, "", ConnectionConfig.Password.of(""), null, ack, 1000, 102_400, 0, 5_000,
                    new ConnectionConfig.Backoff(100, 500), new ConnectionConfig.Store(store, 100_000, 64L << 20, -1),
                    256 * 1024, BOUND, new Causes.Keys("url", "options.")));
            CountDownLatch open = new CountDownLatch(1);
            List<Integer> routed = Collections.synchronizedList(new ArrayList<>());
            connection.subscribe(FILTER, 1, (message, done, back) -> {
                int n = ByteBuffer.wrap(message.payload()).getInt();
                try {
                    if (n >= 0) { // the first is the test's: the subscription is there
                        open.await(60, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                routed.add(n);
                done.run();
            });
            connection.start();
            try {
                await().atMost(10, TimeUnit.SECONDS).pollInterval(100, TimeUnit.MILLISECONDS).until(() -> {
                    cloud.publish(FILTER, message(-1), false);
                    return routed.contains(-1);
                });

                for (int i = 0; i < MESSAGES; i++) {
                    cloud.publish(FILTER, message(i), false);
                }
                // the route is shut: what was taken waits, up to the bound, and the broker keeps the rest
                AtomicLong peak = new AtomicLong();
                String warn = log.await(10, "bounded: ", FILTER, "mqtt.maxWaitingBytes");
                assertNotNull(warn, "a WARN that the bound was reached: " + log.warnings());
                await().during(2, TimeUnit.SECONDS).atMost(3, TimeUnit.SECONDS).pollInterval(10, TimeUnit.MILLISECONDS)
                        .until(() -> peak.accumulateAndGet(connection.waitingBytes(FILTER), Math::max) <= BOUND);
                MqttConnection.State held = connection.state();
                assertTrue(!held.connected() && held.lastCause().contains("wait for the route of " + FILTER),
                        "health DOWN, saying why, while the route holds up what comes: " + held);
                long connectsBefore = connection.connects();

                long opened = System.nanoTime();
                open.countDown();
                await().alias("all routed").atMost(30, TimeUnit.SECONDS).conditionEvaluationListener(c -> {
                    if (c.getRemainingTimeInMS() <= 0) {
                        System.err.println("routed so far: " + routed + "; warnings: " + log.warnings());
                    }
                }).until(() -> IntStream.range(0, MESSAGES).allMatch(routed::contains));
                double s = (System.nanoTime() - opened) / 1e9;
                await().pollDelay(1, TimeUnit.SECONDS).atMost(2, TimeUnit.SECONDS).until(() -> true); // duplicates
                List<Integer> got;
                synchronized (routed) {
                    got = new ArrayList<>(routed.subList(routed.indexOf(0), routed.size()));
                }
                List<Integer> firsts = got.stream().distinct().toList();
                int duplicates = got.size() - firsts.size();
                long outOfOrder = IntStream.range(1, firsts.size()).filter(i -> firsts.get(i) < firsts.get(i - 1)).count();
                System.out.printf("FAULT maxWaitingBytes %s: %d of %d routed in %.2f s after the route opened, peak %d"
                                + " bytes waiting (bound %d), %d lost, %d out of order, %d duplicates, %d connects%n",
                        ack, firsts.size(), MESSAGES, s, peak.get(), BOUND, MESSAGES - firsts.size(), outOfOrder,
                        duplicates, connection.connects());
                assertTrue(peak.get() <= BOUND, "at most the bound waited: " + peak.get());
                assertEquals(IntStream.range(0, MESSAGES).boxed().toList(), firsts, "0 lost, 0 out of order");
                assertTrue(connection.connects() > connectsBefore, "made anew for the broker to send again what it held");
                await().atMost(5, TimeUnit.SECONDS).until(() -> connection.state().connected()); // health UP again
            } finally {
                connection.stop();
            }
        }
    }

    /** {@code SIZE} bytes, the first four its number. */
    private static byte[] message(int n) {
        return ByteBuffer.allocate(n < 0 ? 4 : SIZE).putInt(n).array();
    }
}
