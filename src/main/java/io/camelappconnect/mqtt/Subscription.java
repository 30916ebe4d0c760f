package io.camelappconnect.mqtt;

import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import io.camelappconnect.mqtt.MqttConnection.Handler;
import io.camelappconnect.mqtt.MqttConnection.Incoming;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One topic filter of a {@link MqttConnection}: its worker (order kept), its handler, and whether the broker holds it.
 * Its own class because delivering a filter's messages to its route, and holding them while no route takes them, is
 * apart from keeping the connection up.
 */
final class Subscription {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class); // its lines are the connection's

    /** Messages waiting for one subscription's worker when acknowledged on arrival (nothing else bounds them). */
    private static final int MAX_WAITING = 1000;
    /** A subscription's worker thread ends after this long without a message (a filter that rarely gets one). */
    private static final long WORKER_IDLE_S = 10;

    static final int ABSENT = 0;
    static final int PENDING = 1;
    static final int HELD = 2;

    private final MqttConnection connection;
    final String filter;
    final int qos;
    final ThreadPoolExecutor worker;
    /** Its worker thread's name: a message handed back there runs again at once. */
    private final String workerName;
    /** A SUBSCRIBE is sent only from ABSENT: a route starting as the connection comes up can't send it twice. */
    final AtomicInteger state = new AtomicInteger(ABSENT);
    private volatile long sentAt;
    /** Why the broker did not grant it, while it has not since. */
    private volatile String refused;
    private int refusals;
    private Handler handler;
    private boolean retired;
    /** Messages that came while no route took them (a route restarting). */
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    /** Payload bytes offered and not yet handed to a route: queued for the worker or waiting for a route. */
    final AtomicLong waitingBytes = new AtomicLong();

    Subscription(MqttConnection connection, String filter, int qos) {
        this.connection = connection;
        this.filter = filter;
        this.workerName = connection.config.name() + " " + filter;
        this.qos = qos;
        // acknowledged after the route, the broker's in-flight window bounds the queue; on arrival, MAX_WAITING does
        this.worker = new ThreadPoolExecutor(1, 1, WORKER_IDLE_S, TimeUnit.SECONDS, new LinkedBlockingQueue<>(
                connection.config.ack() == ConnectionConfig.Ack.ON_ARRIVAL ? MAX_WAITING : Integer.MAX_VALUE),
                MqttConnection.daemon(workerName));
        // one thread at most, so still in order: it ends when no message came for a while, and the next starts one
        worker.allowCoreThreadTimeOut(true);
    }

    void send(Session s) {
        if (!state.compareAndSet(ABSENT, PENDING)) {
            return;
        }
        sentAt = System.nanoTime();
        s.client.subscribeWith().topicFilter(filter).qos(qos == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                .send().whenComplete((ack, error) -> {
                    if (s != connection.session) {
                        return; // an older connection's answer
                    }
                    // HiveMQ's client fails the future when every return code is a failure
                    boolean refusal = error instanceof Mqtt3SubAckException
                            || error == null && ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE);
                    boolean granted = error == null && !refusal;
                    state.compareAndSet(PENDING, granted ? HELD : ABSENT); // ABSENT: sent again
                    if (granted) {
                        if (refused != null) {
                            LOG.info("{}: the broker granted the subscription to {} at last", connection.name(),
                                    filter);
                        }
                        refused = null;
                        refusals = 0;
                        return;
                    }
                    if (!s.up) {
                        return; // the next connect sends it again
                    }
                    String why = refusal ? "the broker refused the subscription to " + filter
                            + " (a SUBACK failure: is the topic allowed for this client?)"
                            : "subscribe to " + filter + " failed: " + connection.describe(error);
                    long delay = connection.config.backoff().delay(refusals++);
                    if (!why.equals(refused) || refusals % 60 == 1) { // one WARN, not one a try
                        LOG.warn("{}: {}; tried again in {} ms{}", connection.name(), why, delay,
                                refusals == 1 ? "" : ", " + refusals + " tries so far");
                    }
                    refused = why; // health is DOWN while it is not held: its messages can't come
                    connection.later(() -> {
                        if (connection.session == s && s.up) {
                            send(s);
                        }
                    }, delay);
                });
    }

    /** Why it can't deliver although connected: no SUBACK in time, or refused; null when held or on its way. */
    String trouble(long now) {
        return stalled(now) ? "no SUBACK for " + filter + " in " + connection.stallNs / 1_000_000_000 + " s" : refused;
    }

    boolean stalled(long now) {
        return state.get() == PENDING && now - sentAt > connection.stallNs;
    }

    /** A message within the bound (see arrived): queued for the worker. */
    void offer(Incoming message, Runnable done) {
        int size = message.payload().length;
        waitingBytes.addAndGet(size);
        try {
            worker.execute(() -> run(message, done));
        } catch (RejectedExecutionException e) {
            waitingBytes.addAndGet(-size);
            if (connection.config.ack() == ConnectionConfig.Ack.ON_ARRIVAL && !worker.isShutdown()) {
                LOG.warn("{}: {} messages already wait on {}: one more dropped", connection.name(), MAX_WAITING,
                        filter);
            }
            // else stopping: left unacknowledged, the broker sends it again
        }
    }

    private void run(Incoming message, Runnable done) {
        Handler h;
        synchronized (this) {
            if (retired) { // no route takes it any more: acknowledged, so the broker's window moves on
                waitingBytes.addAndGet(-message.payload().length);
                done.run();
                return;
            }
            h = handler;
            if (h == null) {
                if (connection.config.ack() == ConnectionConfig.Ack.ON_ARRIVAL && waiting.size() >= MAX_WAITING) {
                    waitingBytes.addAndGet(-message.payload().length);
                    LOG.warn("{}: no route takes {} and {} messages wait for one: one more dropped", connection.name(),
                            filter, MAX_WAITING); // acknowledged already: nothing else bounds them
                    return;
                }
                waiting.add(() -> run(message, done));
                return;
            }
        }
        waitingBytes.addAndGet(-message.payload().length); // the route's now
        try {
            h.deliver(message, done, () -> handedBack(message, done));
        } catch (RuntimeException e) {
            LOG.error("{}: message on {} failed", connection.name(), message.topic(), e);
            done.run();
        }
    }

    /**
     * A message the route did not take (it was stopping: an exchange that fails then is no bad input) waits for
     * the next route, as one that came while none ran.
     */
    private void handedBack(Incoming message, Runnable done) {
        synchronized (this) {
            if (retired) {
                done.run();
                return;
            }
            waitingBytes.addAndGet(message.payload().length);
            if (handler == null || !handler.takes()) {
                waiting.addFirst(() -> run(message, done)); // it came before those that wait
                return;
            }
        }
        if (Thread.currentThread().getName().equals(workerName)) {
            run(message, done); // a route takes them again: this one at once, before what the worker holds
            return;
        }
        try { // ended on another thread (its PUBACK's): never run a route there
            worker.execute(() -> run(message, done));
        } catch (RejectedExecutionException retired) {
            waitingBytes.addAndGet(-message.payload().length);
            done.run();
        }
    }

    synchronized void attach(Handler h) {
        handler = h;
        while (!waiting.isEmpty()) {
            worker.execute(waiting.poll());
        }
    }

    /** @return whether it has no handler now */
    synchronized boolean detach(Handler h) {
        if (handler == h) {
            handler = null;
        }
        return handler == null;
    }

    /**
     * Ends it unless a handler came back: what waits, or comes, is acknowledged and dropped.
     *
     * @return how many messages waited for it; -1 when a handler came back
     */
    synchronized int retire() {
        if (handler != null) {
            return -1;
        }
        int waited = waiting.size() + worker.getQueue().size();
        retired = true;
        while (!waiting.isEmpty()) {
            worker.execute(waiting.poll());
        }
        worker.shutdown(); // what it still holds runs, and is acknowledged
        return waited;
    }

    /** Until what its worker holds has been handed on, or the time is up. */
    void awaitIdle(long ms) {
        long end = System.nanoTime() + ms * 1_000_000;
        try {
            while ((worker.getActiveCount() > 0 || !worker.getQueue().isEmpty()) && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
