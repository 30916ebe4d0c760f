package io.camelappconnect.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.message.auth.Mqtt3SimpleAuth;
import com.hivemq.client.mqtt.mqtt3.message.connect.Mqtt3ConnectBuilder;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.operations.Link;
import io.camelappconnect.store.MessageStore;
import io.camelappconnect.store.MessageStore.Kept;
import io.reactivex.plugins.RxJavaPlugins;
import io.reactivex.schedulers.Schedulers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT connection (MQTT 3.1.1, HiveMQ's client): its client, its subscriptions, its in-flight window and its
 * store, and one {@link State} of it for health and metrics.
 * <ul>
 * <li><b>Connecting.</b> Started, it connects, and tries again with backoff and jitter until the broker answers,
 * then after every loss. Each try is a new client: a try without its CONNACK within the connect timeout is
 * abandoned whole, so no state a library left behind can keep the connection silent. The will is on every CONNECT,
 * the first one included.</li>
 * <li><b>Subscriptions.</b> Each topic filter a route names is subscribed once, sent again after a connect only
 * when the broker did not keep the session (a SUBSCRIBE makes the broker send retained messages again: a command
 * would run twice). Its messages run in order on a worker thread of its own, never on the client's event loop,
 * and are acknowledged as {@link ConnectionConfig.Ack} says.</li>
 * <li><b>Publishing.</b> QoS 1 without waiting for each PUBACK, up to {@code maxInflight} on the wire, paced to
 * {@code maxPublishRate}. {@link #publish} completes when the message is safe: acknowledged by the broker, or kept
 * in the store (behaviour.md 7), which takes what the broker can't take now and, when a connection goes, what was
 * sent and not acknowledged, ahead of everything kept. Nothing is written while the broker takes messages as they
 * come.</li>
 * </ul>
 */
public final class MqttConnection implements Link {

    /** A message that arrived on one of this connection's subscriptions. */
    public record Incoming(String topic, byte[] payload, int qos, boolean retained) {
    }

    /** What a subscription hands its messages to (a route's consumer). */
    public interface Handler {
        /**
         * Handles one message; calls {@code done} once, when finished (the acknowledgement may wait for it), or
         * {@code back} once instead when it did not take the message (its route stopping): the message then waits
         * for the next handler, unacknowledged.
         */
        void deliver(Incoming message, Runnable done, Runnable back);

        /** Whether it takes messages now (its route runs). */
        default boolean takes() {
            return true;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    static {
        // The HiveMQ client loads RxJava's Schedulers, which start two threads that would idle for good: the IO
        // scheduler's evictor and the purge of cancelled tasks. Nothing here schedules on RxJava (the client's
        // callbacks run on its event loop, trampoline below); should something use Schedulers.io(), it runs on the
        // JDK's common pool, whose threads come and go. Before the client's first class loads; -Drx2.purge-enabled wins.
        RxJavaPlugins.setInitIoSchedulerHandler(io -> Schedulers.from(ForkJoinPool.commonPool()));
        if (System.getProperty("rx2.purge-enabled") == null) {
            System.setProperty("rx2.purge-enabled", "false");
        }
    }
    private static final long QUIESCE_MS = 5_000;
    private static final long WARN_EVERY_NS = 60_000_000_000L;
    /** The connection's own thread runs at least once a second (its watch); this long without is a stuck thread. */
    private static final long THREAD_STALL_NS = 120_000_000_000L;
    /** How long a subscription whose route stopped waits for the route to come back (a restart, a reload). */
    static final long RETIRE_MS = 10_000;

    final ConnectionConfig config;
    private final Outbox outbox;
    private final ScheduledThreadPoolExecutor connector;
    /** Runs the callbacks of publishes once they are safe: never the client's event loop, which must not wait. */
    private final ExecutorService completions;
    /**
     * This connection's own Netty event loop (its clients', one at a time): the wait for room in {@link #roomFor}
     * holds back this connection's reads only, never another connection's.
     */
    final ExecutorService eventLoop;
    final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Filters retired while the connection was away: a kept session still has them. */
    private final Set<String> unsubscribeAtConnect = ConcurrentHashMap.newKeySet();
    private final Semaphore window;
    /** Published and not yet acknowledged, in the order sent: kept in the store if the connection goes. */
    private final LinkedHashSet<InFlight> inFlight = new LinkedHashSet<>();
    private final Pacing pacing;
    /** Connected, yet no PUBACK or SUBACK for this long: the connection is not what it seems, and is made anew. */
    final long stallNs;
    /** How long a message waits on the event loop for room: half a keepalive (no PINGREQ goes meanwhile), at most 5 s. */
    final long backpressureMs;
    /** Why the last connection was torn down with publishes unacknowledged; null once a PUBACK came since. */
    private volatile String undelivered;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicInteger failures = new AtomicInteger();
    /** Packets over mqtt.maxIncomingBytes refused so far. */
    final AtomicLong refusedIncoming = new AtomicLong();
    volatile Session session;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile Runnable onConnect = () -> { };
    private volatile String lastCause = "not connected yet";
    /** When this connection's thread last showed it runs: its watch, or a drain's step. */
    private volatile long alive = System.nanoTime();
    private String lastWarning = "";
    private long lastWarningAt;

    public MqttConnection(ConnectionConfig config) {
        this.config = config;
        ConnectionConfig.Store store = config.store();
        this.outbox = new Outbox(config.name(), new MessageStore(config.name(), store.dir(), store.maxMessages(),
                store.maxBytes(), store.syncMs()), this::complete);
        this.window = new Semaphore(config.maxInflight());
        this.pacing = config.maxPublishRate() > 0 ? new Pacing(config.maxPublishRate()) : null;
        this.backpressureMs = config.keepaliveSeconds() == 0 ? 5_000
                : Math.min(5_000, config.keepaliveSeconds() * 500L);
        this.stallNs = TimeUnit.MILLISECONDS.toNanos(Math.max(config.keepaliveSeconds() * 1000L,
                config.connectTimeoutMs()));
        this.connector = new ScheduledThreadPoolExecutor(1, daemon(config.name() + " connect"));
        connector.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // a stop cancels the next try
        connector.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.completions = Executors.newSingleThreadExecutor(daemon(config.name() + " acknowledged"));
        this.eventLoop = Executors.newCachedThreadPool(daemon(config.name() + " event loop"));
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public boolean isConnected() {
        Session s = session;
        return s != null && s.up;
    }

    /** Connects so far, reconnects included. */
    @Override
    public long connects() {
        return connects.get();
    }

    /** Packets over mqtt.maxIncomingBytes refused so far. */
    public long refusedIncoming() {
        return refusedIncoming.get();
    }

    /** Payload bytes that wait for {@code filter}'s route now (at most mqtt.maxWaitingBytes); 0 for a filter not held. */
    long waitingBytes(String filter) {
        Subscription sub = subscriptions.get(filter);
        return sub == null ? 0 : sub.waitingBytes.get();
    }

    /** Connected but unable to deliver (health DOWN): a subscription the broker refused or did not answer. */
    @Override
    public State state() {
        String expired = TokenExpiry.expired(config);
        String trouble = expired != null ? expired : isConnected() ? trouble(System.nanoTime()) : stalled();
        return new State(config.name(), config.url().toString(), isConnected() && trouble == null, connects.get(),
                outbox.size(), outbox.written(), outbox.dropped(), trouble != null ? trouble : lastCause, outbox.fault());
    }

    @Override
    public String stalled() {
        long idle = System.nanoTime() - alive;
        return started.get() && !stopping && idle > THREAD_STALL_NS ? "its connection thread has not run for "
                + idle / 1_000_000_000 + " s" : null;
    }

    private String trouble(long now) {
        String stalled = stalled();
        if (stalled != null) {
            return stalled;
        }
        if (undelivered != null) {
            return undelivered;
        }
        for (Subscription sub : subscriptions.values()) {
            String why = sub.trouble(now);
            if (why != null) {
                return why;
            }
        }
        Session s = session;
        Subscription over = s == null ? null : s.refusing;
        return over == null ? null : over.waitingBytes.get() + " bytes wait for the route of " + over.filter
                + " (mqtt.maxWaitingBytes " + config.maxWaitingBytes() + "): what comes meanwhile is left with the broker";
    }

    /**
     * Every second, on this connection's thread: a connection that believes it is up but has had no PUBACK for its
     * oldest publish, or no SUBACK, for a keepalive (at least the connect timeout) is torn down and made anew. The
     * client's own keepalive finds a dead TCP link; this finds a broker, relay or client state that answers pings but
     * nothing else.
     */
    private void watch() {
        alive = System.nanoTime();
        Session s = session;
        if (s == null || !s.up || endIfStalled(s)) {
            return;
        }
        Subscription over = s.refusing;
        if (over != null && over.waitingBytes.get() == 0) { // its route took all: the broker is to send the rest again
            s.up = false;
            ended(s, new IllegalStateException("made anew, for the broker to send again what came over"
                    + " mqtt.maxWaitingBytes on " + over.filter + " now that its route has taken what waited"));
            return;
        }
        long now = System.nanoTime();
        for (Subscription sub : subscriptions.values()) {
            if (sub.stalled(now)) {
                s.up = false;
                ended(s, new TimeoutException(sub.trouble(now) + " although connected"));
                return;
            }
        }
    }

    /**
     * Ends the connection if its oldest publish has had no PUBACK for a keepalive, whoever asks: the watch, or a drain
     * waiting for room or for PUBACKs, which holds this connection's thread. The end runs on that thread, after.
     *
     * @return whether it was ended
     */
    private boolean endIfStalled(Session s) {
        String stalled;
        synchronized (inFlight) {
            stalled = !inFlight.isEmpty() && System.nanoTime() - inFlight.iterator().next().sentAt > stallNs
                    ? "no PUBACK in " + stallNs / 1_000_000_000 + " s although connected" : null;
        }
        if (stalled == null || !s.up) {
            return false;
        }
        undelivered = stalled + ": connections made anew until one delivers";
        s.up = false; // at once: a send or drain waiting gives up now
        later(() -> ended(s, new TimeoutException(stalled)), 0);
        return true;
    }

    /**
     * Runs after every connect, on this connection's own thread once what was kept is on its way. It must not wait
     * for a publish (hand a route its work asynchronously): that thread also handles the loss that would end the wait.
     */
    public void onConnect(Runnable action) {
        this.onConnect = action;
    }

    /** Connects in the background, and keeps connecting until {@link #stop}; once. */
    public void start() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        later(this::connect, 0);
        Instant expires = config.password().expires();
        if (expires != null) { // the delay is counted on the monotonic clock from the wall clock's distance now
            later(() -> TokenExpiry.warn(config), Math.max(0, Duration.between(Instant.now(), expires).minusDays(1).toMillis()));
        }
        connector.scheduleWithFixedDelay(guarded(this::watch), 1, 1, TimeUnit.SECONDS);
        long syncMs = config.store().syncMs();
        if (syncMs > 0) { // what the last write of a burst kept reaches the disk too, within syncMs
            connector.scheduleWithFixedDelay(guarded(outbox::sync), syncMs, syncMs, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Publishes {@code close} and the like still on the wire (up to 5 s), disconnects cleanly (no will), keeps
     * what the broker had not acknowledged for the next start, and closes the store.
     */
    public void stop() {
        stopping = true;
        connector.shutdown();
        try {
            // a drain under way sends what the stop itself published (`close`) before the connection closes
            if (!connector.awaitTermination(QUIESCE_MS, TimeUnit.MILLISECONDS)) {
                connector.shutdownNow();
            }
            long end = System.nanoTime() + QUIESCE_MS * 1_000_000;
            while (isConnected() && inFlightCount() > 0 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        subscriptions.values().forEach(s -> s.worker.shutdownNow()); // unacknowledged: the broker sends them again
        Session s = session;
        if (s != null) {
            boolean up = s.up;
            s.end();
            if (up) {
                try {
                    s.client.disconnect().get(QUIESCE_MS, TimeUnit.MILLISECONDS);
                    LOG.info("{}: disconnected from {}", name(), config.url());
                } catch (Exception e) {
                    LOG.warn("{}: clean disconnect from {} failed: {}", name(), config.url(), describe(e));
                }
            }
            keepUnacknowledged();
        }
        completions.shutdown();
        eventLoop.shutdown();
        outbox.close();
    }

    /**
     * Routes {@code filter}'s messages to {@code handler}, subscribing if this is the first time. A handler that
     * comes again for a filter (a route restarted, or reloaded) takes over; messages that came meanwhile wait for it.
     */
    public void subscribe(String filter, int qos, Handler handler) {
        synchronized (subscriptions) { // with retire(): its UNSUBSCRIBE never follows this SUBSCRIBE
            unsubscribeAtConnect.remove(filter);
            Subscription sub = subscriptions.computeIfAbsent(filter, f -> new Subscription(this, f, qos));
            sub.attach(handler);
            Session s = session;
            if (s != null && s.up) {
                sub.send(s);
            }
        }
    }

    /**
     * The handler goes (its route stopped). Messages acknowledged on arrival that wait for it are handed to it first
     * (up to 5 s): they are nowhere else. Then the subscription waits for the next handler; when none comes within
     * {@link #RETIRE_MS} (the route was removed, or its filter changed), it is {@link #retire retired}.
     */
    public void detach(String filter, Handler handler) {
        Subscription sub = subscriptions.get(filter);
        if (sub == null) {
            return;
        }
        if (config.ack() == ConnectionConfig.Ack.ON_ARRIVAL) {
            sub.awaitIdle(QUIESCE_MS);
        }
        if (sub.detach(handler)) {
            later(() -> retire(sub), RETIRE_MS);
        }
    }

    /**
     * A filter no route takes any more is unsubscribed, and what waited for it is acknowledged and dropped with a WARN:
     * left unacknowledged, it would hold the broker's window and, once that is full, stop every other message.
     */
    private void retire(Subscription sub) {
        int dropped;
        synchronized (subscriptions) {
            dropped = subscriptions.get(sub.filter) == sub ? sub.retire() : -1;
            if (dropped < 0) {
                return; // taken over again meanwhile
            }
            subscriptions.remove(sub.filter);
            Session s = session;
            if (s != null && s.up) {
                s.client.unsubscribeWith().topicFilter(sub.filter).send();
            } else {
                unsubscribeAtConnect.add(sub.filter); // a kept session still holds it
            }
        }
        LOG.warn("{}: no route takes {} any more (a route removed, or its topic changed): unsubscribed; {} messages that"
                + " waited for it dropped", name(), sub.filter, dropped);
    }

    /**
     * Publishes, or keeps the message while the broker can't take it. The future completes (on this connection's
     * own thread) once the message is safe: acknowledged by the broker, or kept in the store; not while a store that
     * can't be written leaves it in memory.
     *
     * @throws NowhereSafe when neither the broker nor the store can take it, and memory is full
     * @throws BadMessage when the payload is over {@code maxPayloadBytes}: a broker drops the connection over a packet
     *                    it won't take, and QoS 1 would send it again at every reconnect
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, int qos, boolean retained) {
        if (payload.length > config.maxPayloadBytes()) {
            throw new BadMessage(payload.length + " bytes for " + topic + " is over mqtt.maxPayloadBytes ("
                    + config.maxPayloadBytes() + "): not sent");
        }
        Kept message = new Kept(topic, payload, qos, retained);
        Mqtt3Publish publish = toMqtt(message); // a topic MQTT does not allow is refused here, not kept
        Session s = session;
        boolean up = s != null && s.up;
        CompletableFuture<Void> kept = outbox.keepUnlessFree(message, up);
        if (kept != null) {
            if (!up) {
                drainIfBack(); // the connection may have come back, and its drain ended, since `up` was read
            }
            return kept;
        }
        InFlight sent = send(s, message, publish);
        if (sent == null) { // the connection went while we waited for room on the wire
            kept = outbox.keep(message);
            drainIfBack();
            return kept;
        }
        return sent.safe;
    }

    /**
     * Puts the message on the wire once the window has room and the pace allows.
     *
     * @return null if the connection went meanwhile (the caller keeps the message)
     */
    private InFlight send(Session s, Kept message, Mqtt3Publish publish) {
        try {
            while (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                if (!s.up || endIfStalled(s)) { // a full window with nothing acknowledged
                    return null;
                }
            }
            if (pacing != null) {
                pacing.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        InFlight sent = new InFlight(message, s);
        synchronized (inFlight) { // with the check: a loss handled in between finds it, or it finds the loss
            if (!s.up) {
                window.release();
                return null;
            }
            inFlight.add(sent);
        }
        s.client.publish(publish).whenComplete((result, error) -> acknowledged(sent, error));
        return sent;
    }

    /** @throws BadMessage for a topic MQTT does not allow (empty, a wildcard, too long) */
    private static Mqtt3Publish toMqtt(Kept message) {
        try {
            return Mqtt3Publish.builder().topic(message.topic())
                    .qos(message.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                    .payload(message.payload()).retain(message.retained()).build();
        } catch (IllegalArgumentException e) {
            throw new BadMessage("cannot publish to '" + message.topic() + "': " + e.getMessage());
        }
    }

    /** On the client's event loop: a PUBACK came (or, for QoS 0, the message was written), or the publish failed. */
    private void acknowledged(InFlight sent, Throwable error) {
        if (error != null && Causes.connectionGone(error)) {
            return; // the loss keeps what was in flight, in order
        }
        synchronized (inFlight) {
            if (!inFlight.remove(sent)) {
                return; // kept already, when the connection went
            }
        }
        window.release();
        if (error == null) {
            undelivered = null;
        }
        if (error != null) { // the client refused this one message: sending it again would fail again
            LOG.warn("{}: a message for {} can't be sent, dropped: {}", name(), sent.message.topic(),
                    describe(error));
        }
        complete(sent.safe);
    }

    private void complete(CompletableFuture<Void> safe) {
        try {
            completions.execute(() -> safe.complete(null));
        } catch (RejectedExecutionException stopped) {
            safe.complete(null);
        }
    }

    private int inFlightCount() {
        synchronized (inFlight) {
            return inFlight.size();
        }
    }

    /**
     * Moves what was published and not acknowledged into the store, ahead of everything kept: the broker may or may
     * not have it (at least once), and a new client or a new session would not send it again.
     */
    private void keepUnacknowledged() {
        List<InFlight> unacknowledged;
        synchronized (inFlight) {
            unacknowledged = new ArrayList<>(inFlight);
            inFlight.clear();
        }
        if (unacknowledged.isEmpty()) {
            return;
        }
        window.release(unacknowledged.size());
        if (outbox.keepFirst(unacknowledged.stream().map(i -> i.message).toList(),
                unacknowledged.stream().map(i -> i.safe).toList())) {
            unacknowledged.forEach(i -> complete(i.safe));
        } // else held in memory: safe once sent again and acknowledged
    }

    private void connect() {
        if (stopping) {
            return;
        }
        Session s;
        try {
            s = new Session(this);
        } catch (RuntimeException e) { // a value the client refuses (ConnectionConfig checks them): said, not silent
            retry("cannot make a client for " + config.url(), e, false);
            return;
        }
        session = s;
        CompletableFuture<Mqtt3ConnAck> connecting;
        try {
            Mqtt3ConnectBuilder.Send<CompletableFuture<Mqtt3ConnAck>> connect = s.client.connectWith()
                    .cleanSession(config.cleanSession()).keepAlive(config.keepaliveSeconds())
                    .restrictions(config.incomingRestrictions());
            Mqtt3SimpleAuth login = config.simpleAuth(); // made for this CONNECT: a SAS token is fresh
            if (login != null) {
                connect.simpleAuth(login);
            }
            if (config.will() != null) { // on the very first CONNECT too: a gateway that never got through tells
                connect.willPublish().topic(config.will().topic()).payload(config.will().payload())
                        .qos(MqttQos.AT_LEAST_ONCE).applyWillPublish();
            }
            connecting = connect.send();
        } catch (RuntimeException e) {
            ended(s, e);
            return;
        }
        ScheduledFuture<?> timeout = connector.schedule(() -> ended(s, new TimeoutException(
                "no answer to CONNECT within " + config.connectTimeoutMs() + " ms")), config.connectTimeoutMs(),
                TimeUnit.MILLISECONDS);
        connecting.whenComplete((ack, error) -> {
            timeout.cancel(false);
            later(() -> {
                if (error == null) {
                    connected(s, ack);
                } else {
                    ended(s, error);
                }
            }, 0);
        });
    }

    private void connected(Session s, Mqtt3ConnAck ack) {
        if (s != session || s.ended || stopping) {
            s.end(); // abandoned meanwhile (timed out), or stopping
            s.client.disconnect();
            return;
        }
        s.established = true;
        if (s.gone != null) { // lost between its CONNACK and now
            ended(s, s.gone);
            return;
        }
        s.up = true;
        if (s.gone != null) { // lost while being marked up: the listener may have read up == false
            s.up = false;
            ended(s, s.gone);
            return;
        }
        failures.set(0);
        connects.incrementAndGet();
        lastCause = "connection lost"; // until the loss is handled and its cause known
        synchronized (subscriptions) {
            subscriptions.values().forEach(sub -> {
                if (!ack.isSessionPresent()) {
                    sub.state.set(Subscription.ABSENT); // a new session: the broker has none of them
                }
                sub.send(s);
            });
            if (ack.isSessionPresent()) {
                unsubscribeAtConnect.forEach(f -> s.client.unsubscribeWith().topicFilter(f).send());
            }
            unsubscribeAtConnect.clear();
        }
        LOG.info("{}: connected to {} as {} ({})", name(), config.url(), config.clientId(),
                ack.isSessionPresent() ? "session kept" : "new session");
        long renewMs = config.password().renewAfterMs();
        if (renewMs > 0) {
            later(() -> renew(s), renewMs);
        }
        drain(s);
        if (s.up) {
            onConnect.run();
        }
    }

    /** Before its SAS token expires: the connection made anew with a fresh one, as a loss but no failure. */
    private void renew(Session s) {
        if (s != session || s.ended || !s.up || stopping) {
            return; // lost meanwhile: its reconnect made a fresh token
        }
        LOG.info("{}: made anew with a fresh SAS token, before this one expires", name());
        s.up = false;
        ended(s, null);
    }

    /**
     * On this connection's thread: a connect that failed or timed out, a connection the client said went, or one the
     * watchdog gave up on. The client is done with (a connect still under way is abandoned with its channel), what
     * it had in flight is kept, and the next try is a new client; once per session, whoever comes first.
     *
     * @param cause null: a renewal, whose connect follows at once, not counted as a failure
     */
    void ended(Session s, Throwable cause) {
        if (s != session || s.ended) {
            return;
        }
        s.end();
        s.client.disconnect();
        if (!s.established) {
            retry("cannot connect to " + config.url(), cause, config.tls() != null);
            return;
        }
        subscriptions.values().forEach(sub -> sub.state.compareAndSet(Subscription.PENDING, Subscription.ABSENT));
        try {
            keepUnacknowledged();
        } catch (RuntimeException e) { // whatever the store does, the connection is tried again
            LOG.error("{}: keeping what was in flight failed: {}", name(), describe(e), e);
        }
        if (cause == null) {
            later(this::connect, 0);
            return;
        }
        retry("connection to " + config.url() + " lost", cause, false);
    }

    private void retry(String what, Throwable cause, boolean tlsConnect) {
        if (stopping) {
            return;
        }
        int failed = failures.getAndIncrement();
        long delay = config.backoff().delay(failed);
        String why = what + ": " + Causes.describe(cause, tlsConnect, config.keys());
        lastCause = why;
        long now = System.nanoTime();
        // an outage is one WARN, then one a minute or when the cause changes: not a line per try
        if (failed == 0 || !why.equals(lastWarning) || now - lastWarningAt > WARN_EVERY_NS) {
            LOG.warn("{}: {} (next try in {} ms{})", name(), why, delay, failed == 0 ? "" : ", " + failed + " tries so far");
            lastWarning = why;
            lastWarningAt = now;
        } else {
            LOG.debug("{}: {} (next try in {} ms)", name(), why, delay);
        }
        later(this::connect, delay);
    }

    /** Sends what was kept while the broker was away, on this connection's own thread. */
    private void drain(Session s) {
        outbox.drain(new Outbox.Sender() {
            @Override
            public CompletableFuture<Void> send(Kept message) {
                alive = System.nanoTime(); // a long drain holds this thread: it runs all the same
                InFlight sent = MqttConnection.this.send(s, message, toMqtt(message));
                if (sent == null) {
                    throw new IllegalStateException("connection lost");
                }
                return sent.safe;
            }

            @Override
            public void awaitAcknowledged(List<CompletableFuture<Void>> sent) throws Exception {
                CompletableFuture<Void> all = CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
                while (true) {
                    try {
                        all.get(10, TimeUnit.MILLISECONDS);
                        return;
                    } catch (TimeoutException notYet) {
                        alive = System.nanoTime();
                        if (!s.up || endIfStalled(s)) { // the file stays until what the loss keeps is written again: a kill loses none
                            throw new IllegalStateException("connection lost before the broker acknowledged all");
                        }
                    }
                }
            }

            @Override
            public boolean connected() {
                return s.up;
            }
        });
    }

    /** A message kept just as the connection came back: a drain that had already ended would strand it. */
    private void drainIfBack() {
        Session s = session;
        if (s != null && s.up) {
            later(() -> drain(s), 0);
        }
    }

    /** On this connection's own thread: never the client's, which must not wait, and never after stop. */
    void later(Runnable action, long delayMs) {
        try {
            connector.schedule(guarded(action), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // stopping: nothing more to connect or send
        }
    }

    /** A failure in one line, its hint naming this connection's settings. */
    String describe(Throwable error) {
        return Causes.describe(error, false, config.keys());
    }

    /** A task of this connection's thread that fails says so: a scheduled task's exception is otherwise kept silent. */
    private Runnable guarded(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("{}: {}", name(), describe(e), e);
            }
        };
    }

    private record InFlight(Kept message, Session session, CompletableFuture<Void> safe, long sentAt) {
        InFlight(Kept message, Session session) {
            this(message, session, new CompletableFuture<>(), System.nanoTime());
        }

        // identity: two equal messages are two publishes
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
