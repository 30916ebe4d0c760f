package io.camelappconnect.operations;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22: no idle thread at rest. A one-shot scheduler route's thread ends once it ran, as does the thread of a
 * ProducerTemplate's async send; a periodic route keeps its one thread between runs, not a new one each time.
 */
@Tag("step")
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdleThreadsEndTest {

    @Test
    void aOneShotSchedulerAndAnAsyncSendLeaveNoThreadBehindAndAPeriodicOneKeepsItsThread() throws Exception {
        AtomicReference<Thread> once = new AtomicReference<>();
        AtomicReference<Thread> sent = new AtomicReference<>();
        Set<Thread> periodic = ConcurrentHashMap.newKeySet();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            IdleThreadsEnd pools = new IdleThreadsEnd();
            pools.setCamelContext(context);
            context.getExecutorServiceManager().setThreadPoolFactory(pools);
            context.getExecutorServiceManager().getDefaultThreadPoolProfile().setKeepAliveTime(1L); // seconds
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("scheduler:once?initialDelay=0&repeatCount=1").process(e -> once.set(Thread.currentThread()));
                    from("scheduler:every?initialDelay=0&delay=300").process(e -> periodic.add(Thread.currentThread()));
                    from("direct:send").process(e -> sent.set(Thread.currentThread()));
                }
            });
            context.start();
            try (ProducerTemplate template = context.createProducerTemplate()) {
                template.asyncSendBody("direct:send", "");

                await().atMost(5, TimeUnit.SECONDS).until(() -> once.get() != null && sent.get() != null);
                await().atMost(5, TimeUnit.SECONDS).until(() -> !once.get().isAlive() && !sent.get().isAlive());
                await().during(2, TimeUnit.SECONDS).atMost(5, TimeUnit.SECONDS)
                        .until(() -> periodic.size() == 1 && periodic.iterator().next().isAlive());
            }
            assertEquals(1, periodic.size(), "one thread for every run of the periodic route: " + periodic);
            assertTrue(periodic.iterator().next().isAlive());
        }
    }
}
