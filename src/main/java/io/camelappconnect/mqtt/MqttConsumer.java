package io.camelappconnect.mqtt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Subscribes to the endpoint's topic filter, or each of a comma-separated list of them (as camel-kafka's consumer
 * takes topics), and routes each message that arrives, in order. Its exchange may finish
 * later (a publish waiting for its PUBACK); the connection's acknowledgement waits for that.
 */
final class MqttConsumer extends DefaultConsumer implements MqttConnection.Handler {

    /** A message nowhere safe is run again after this. */
    private static final long AGAIN_MS = 1_000;

    private final MqttEndpoint endpoint;

    MqttConsumer(MqttEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        for (String filter : endpoint.filters()) {
            endpoint.connection().subscribe(filter, endpoint.getQos(), this);
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (String filter : endpoint.filters()) {
            endpoint.connection().detach(filter, this);
        }
        super.doStop();
    }

    @Override
    public boolean takes() {
        return isRunAllowed();
    }

    /**
     * Runs the route for the message; {@code done} (its acknowledgement) once it ended, with an error too (bad input:
     * a WARN, and the broker must not send it again) but not when it was {@link NowhereSafe nowhere safe} (the cloud
     * away, the store not writable, memory full). That one is run again after a pause here, on the subscription's
     * own thread, so that the messages behind it wait and keep their order. A message that finds the route stopping,
     * or fails while it stops, goes {@code back}: it waits, unacknowledged, for the route that comes next (a reload,
     * a restart). Nothing waits for ever: each run ends, and the disk, the link or the stop ends the pauses.
     */
    @Override
    public void deliver(MqttConnection.Incoming incoming, Runnable done, Runnable back) {
        while (isRunAllowed()) {
            if (run(incoming, done, back)) {
                return;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(AGAIN_MS);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        back.run();
    }

    /** @return false when the route ended at once with the message nowhere safe: to be run again */
    private boolean run(MqttConnection.Incoming incoming, Runnable done, Runnable back) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(incoming.payload());
        in.setHeader(MqttComponent.TOPIC, incoming.topic());
        in.setHeader(MqttComponent.RETAINED, incoming.retained());
        AtomicBoolean again = new AtomicBoolean();
        getAsyncProcessor().process(exchange, doneSync -> {
            Exception e = exchange.getException();
            boolean nowhereSafe = NowhereSafe.in(e);
            boolean stopping = e != null && !nowhereSafe && !isRunAllowed();
            try {
                if (nowhereSafe) {
                    again.set(doneSync);
                    if (!doneSync) { // ended on another thread (a route made asynchronous): run again from there
                        CompletableFuture.delayedExecutor(AGAIN_MS, TimeUnit.MILLISECONDS)
                                .execute(() -> deliver(incoming, done, back));
                    }
                } else if (e != null && !stopping) {
                    getExceptionHandler().handleException("message on " + incoming.topic(), exchange, e);
                }
            } finally {
                releaseExchange(exchange, false);
                if (stopping) {
                    back.run();
                } else if (!nowhereSafe) {
                    done.run();
                }
            }
        });
        return !again.get();
    }
}
