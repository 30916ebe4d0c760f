package io.camelappconnect.operations;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort: a link whose own thread stopped making progress ({@link Link#stalled}) can't recover in-process,
 * so the app ends with exit status {@value #EXIT} and its service manager (mPower's app manager, systemd's
 * {@code Restart=}) starts it again. What the LNS broker had not had acknowledged it sends again then, and the store
 * keeps what was kept. An outage is no reason: a link that is merely away reconnects by itself.
 */
public final class Watchdog extends ServiceSupport {

    /** EX_SOFTWARE: an internal error; not 0, which a service manager may take for a wanted stop. */
    static final int EXIT = 70;
    private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final long EVERY_S = 10;
    /** A stop that hangs (a stuck thread may hold it up) is cut short: the restart matters more. */
    private static final long HALT_AFTER_MS = 15_000;

    private final CamelContext context;
    private final long everyMs;
    private final Runnable exit;
    private ScheduledExecutorService timer;
    private boolean exiting;

    public Watchdog(CamelContext context) {
        this(context, EVERY_S * 1000, Watchdog::exit);
    }

    /** @param exit ends the app (tests: records that it would) */
    Watchdog(CamelContext context, long everyMs, Runnable exit) {
        this.context = context;
        this.everyMs = everyMs;
        this.exit = exit;
    }

    @Override
    protected void doStart() {
        timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "watchdog");
        timer.scheduleWithFixedDelay(this::check, everyMs, everyMs, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (timer != null) {
            context.getExecutorServiceManager().shutdownNow(timer);
        }
    }

    private void check() {
        if (exiting) {
            return; // said once; the stop is under way
        }
        try {
            for (Link link : Connections.of(context)) {
                String why = link.stalled();
                if (why != null) {
                    LOG.error("{}: {}: the app can't recover from this by itself and exits ({}) to be started again",
                            link.name(), why, EXIT);
                    exiting = true;
                    exit.run();
                    return;
                }
            }
        } catch (RuntimeException e) { // a check that fails must not end the checks
            LOG.warn("watchdog: {}", e.toString());
        }
    }

    private static void exit() {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(EXIT);
        }, "watchdog halt");
        halt.setDaemon(true);
        halt.start();
        new Thread(() -> System.exit(EXIT), "watchdog exit").start(); // not on this thread: the stop shuts it down
    }
}
