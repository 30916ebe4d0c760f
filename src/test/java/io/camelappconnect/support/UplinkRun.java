package io.camelappconnect.support;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.core.ConditionTimeoutException;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fault test's load, counted per uplink: uplinks at a steady rate from a number of devices, published on the LNS
 * broker for a run's length, and a tally of what reaches the cloud broker. Each run's devices are its own (by its
 * id), so what an earlier run left on a broker is not counted in a later one.
 */
public final class UplinkRun implements AutoCloseable {

    private static final AtomicInteger RUNS = new AtomicInteger();

    private final int rate;
    private final int devices;
    private final int sent;
    private final UplinkTally tally = new UplinkTally();
    private final MqttProbe cloud;
    private final MqttProbe lns;
    private final AtomicBoolean receiving = new AtomicBoolean(true);
    private final AtomicInteger published = new AtomicInteger();
    private final Thread receiver = new Thread(this::receive, "receiver");
    private final Thread publisher;
    private final int id = RUNS.incrementAndGet();

    public UplinkRun(String lnsUrl, String cloudUrl, int rate, int devices, int seconds) {
        this(lnsUrl, cloudUrl, "lorawan/" + GW + "/+/+/up", rate, devices, seconds);
    }

    /** @param cloudFilter where the uplinks arrive, one topic per device (an Azure hub's D2C topics too) */
    public UplinkRun(String lnsUrl, String cloudUrl, String cloudFilter, int rate, int devices, int seconds) {
        this.rate = rate;
        this.devices = devices;
        this.sent = seconds * rate;
        this.cloud = new MqttProbe(cloudUrl).subscribe(cloudFilter);
        this.lns = new MqttProbe(lnsUrl);
        receiver.start();
        publisher = new Thread(this::publish, "publisher");
        publisher.start();
    }

    public UplinkTally tally() {
        return tally;
    }

    private void publish() {
        long start = System.nanoTime();
        for (int i = 0; i < sent; i++) {
            long due = start + i * (1_000_000_000L / rate);
            for (long wait; (wait = due - System.nanoTime()) > 0; ) { // the load's pace
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            }
            int d = i % devices;
            String dev = String.format("00-80-00-00-%02x-02-%02x-%02x", id % 256, d / 256, d % 256);
            lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, i / devices + 1));
            published.incrementAndGet();
        }
    }

    private void receive() {
        while (receiving.get()) {
            MqttProbe.Received r = cloud.next(0.2);
            if (r != null && !r.retained()) { // retained: an earlier run's last uplinks, sent on subscribing
                tally.add(r.topic(), r.payload());
            }
        }
    }

    /**
     * Waits for the last uplink to be published and for every one to arrive (or {@code seconds}), then counts:
     * 0 lost, 0 out of order per device; duplicates are printed with the summary.
     *
     * @return the summary line
     */
    public String finish(String fault, int seconds) throws InterruptedException {
        publisher.join();
        try {
            await().atMost(seconds, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> tally.distinct() >= sent);
        } catch (ConditionTimeoutException e) {
            // what is missing is counted below
        }
        Thread.sleep(1000); // a sleep: what comes within 1 s more (duplicates on their way) is counted too
        String summary = tally.summary(fault, sent);
        System.out.println(summary);
        assertEquals(sent, published.get());
        assertEquals(sent, tally.distinct(), summary);
        assertEquals(0, tally.outOfOrder(), summary);
        return summary;
    }

    @Override
    public void close() throws InterruptedException {
        publisher.interrupt();
        receiving.set(false);
        receiver.join();
        cloud.close();
        lns.close();
    }
}
