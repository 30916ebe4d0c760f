package io.camelappconnect.mqtt;

import java.util.concurrent.TimeUnit;

/** At most {@code perSecond} publishes a second, evenly spaced: a cloud that counts per second sees no burst. */
final class Pacing {
    private final long intervalNs;
    private long next;

    Pacing(int perSecond) {
        this.intervalNs = 1_000_000_000L / perSecond;
        this.next = System.nanoTime();
    }

    void await() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            if (next - now < 0) {
                next = now; // no credit for a quiet time: no burst after it
            }
            wait = next - now;
            next += intervalNs;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
