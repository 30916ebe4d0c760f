package io.camelappconnect.lens;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.operations.Link;
import io.camelappconnect.operations.Redact;
import io.camelappconnect.protocol.BackhaulThrottle;
import io.camelappconnect.protocol.DeviceEuis;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import io.camelappconnect.protocol.TopicTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LENS application networks (behaviour.md 10, API 1.0) and which one a device belongs to. Each application with a
 * URL gets its own component, an MQTT connection or a web server (named {@link AppNet#connection()}, its store in
 * {@code store.dir/<that name>}), and its routes, made from the templates of {@code routes/*-api10.yaml} and
 * {@code routes/appnets.yaml}, or for a web server those of {@code routes/http-*.yaml}; the default app's routes are
 * made from the same templates, in the route files.
 * <p>
 * The list is read at start, before the LNS connects (a device's first uplink must find its application), and again
 * by the route {@code appnet-list}. A changed application is reconnected: its routes and connection go and come again
 * under the same names, and what it kept meanwhile stays in its store; a message for it waits on its route's
 * {@code direct:} endpoint until the route is back. A removed one says {@code close} and goes; what its store still
 * held is dropped, counted and said in a WARN, and its devices go to the default app again. The parts: what LENS
 * says ({@link AppNetList}), an application's routes ({@link AppNetRoutes}), its going ({@link ConnectionTeardown}),
 * its backhaul throttle ({@link LinkThrottles}).
 */
public final class AppNetworks {

    /** Header: the connection of the device's application ({@code cloud} for the default app). */
    public static final String APP = "app";
    public static final String DEFAULT = "cloud";

    private static final Logger LOG = LoggerFactory.getLogger(AppNetworks.class);

    /** What AppConfiguration knows of connections and web servers, for an application's component. */
    public interface Setup {
        /**
         * Adds the application's component to the context: its MQTT connection, or its web server.
         *
         * @return the web server's URL as its routes post to it; null for an MQTT connection
         * @throws RuntimeException naming what is wrong (its URL, a certificate)
         */
        String add(AppNet app);

        /** The directory of its store. */
        Path store(AppNet app);
    }

    private final CamelContext context;
    private final Setup setup;
    private final AppNetRoutes routes;
    private final AppNetList lens;
    private final ConnectionTeardown teardown;
    private final long refreshMs;

    private final Map<String, AppNet> running = new ConcurrentHashMap<>();
    /** The backhaul throttles of the applications' links, once {@link #backhaulThrottle} made them. */
    private volatile LinkThrottles throttles;
    /** The URL of each application that is a web server, by AppEUI. */
    private final Map<String, String> webServers = new ConcurrentHashMap<>();
    /** AppEUIs asked with {@code appnet get} that had no application, and when. */
    private final Map<String, Long> asked = new ConcurrentHashMap<>();
    /** Told of each application's link as it comes and goes (its meters); none until metrics are on. */
    private volatile LinkWatcher watcher = LinkWatcher.NONE;

    /** Routes can be made once the route files are read; until then an application gets its connection only. */
    private volatile boolean routesReady;

    public AppNetworks(CamelContext context, Setup setup, String gatewayUuid, List<String> gatewayEuis,
                       TopicTemplate.Subscription downlinkTopic, boolean overrideTopicsForAllApps, String program,
                       long timeoutMs, long refreshMs, Counters counters) {
        this.context = context;
        this.setup = setup;
        this.routes = new AppNetRoutes(context, gatewayUuid, gatewayEuis, downlinkTopic, overrideTopicsForAllApps);
        this.lens = new AppNetList(program, timeoutMs);
        this.teardown = new ConnectionTeardown(context, counters);
        this.refreshMs = refreshMs;
    }

    /** What is told of the application networks' links as they come and go. */
    public interface LinkWatcher {
        LinkWatcher NONE = new LinkWatcher() {
            @Override
            public void added(Link link) {
            }

            @Override
            public void removed(String name) {
            }
        };

        void added(Link link);

        void removed(String name);
    }

    public void watch(LinkWatcher watcher) {
        this.watcher = watcher;
    }

    /** Whether a device of this AppEUI belongs to a LENS application network (it passes the app.eui filter). */
    public boolean has(String appEui) {
        return running.containsKey(appEui);
    }

    /** Step {@code application}: header {@link #APP}, from header appEui. */
    public Processor application() {
        return exchange -> {
            AppNet app = running.get(exchange.getMessage().getHeader(DeviceEuis.APP_EUI, String.class));
            exchange.getMessage().setHeader(APP, app == null ? DEFAULT : app.connection());
        };
    }

    /**
     * Step {@code backhaulThrottle} with API 1.0: each device is told of its own application's link (behaviour.md 6),
     * by a throttle of that link's; the default app's devices by {@code main}.
     */
    public Processor backhaulThrottle(BackhaulThrottle main, AppConfig.BackhaulDetect config) {
        throttles = new LinkThrottles(context, main, config);
        return throttles;
    }

    /** Step {@code appnetList}: reads the list and applies it. */
    public Processor list() {
        return exchange -> refresh();
    }

    /**
     * Step {@code appnetLookup}, on a join: its AppEUI (the JSON's {@code appeui}) asked with {@code appnet get}
     * when no application has it and it was not asked within {@code appnet.refresh}; an application in the answer is
     * set up before the join goes on to it.
     */
    public Processor lookup() {
        return exchange -> {
            ObjectNode join = Json.object(exchange.getMessage().getBody(byte[].class));
            String appeui = Json.text(join, "appeui");
            if (appeui == null || appeui.isEmpty()) {
                return; // deviceEuis says what is wrong
            }
            String eui = Eui.normalise(appeui);
            long now = System.nanoTime();
            Long last = asked.get(eui);
            if (running.containsKey(eui) || last != null && now - last < TimeUnit.MILLISECONDS.toNanos(refreshMs)) {
                return;
            }
            asked.put(eui, now);
            AppNet app = lens.get(eui);
            synchronized (this) {
                if (app != null && !running.containsKey(eui)) {
                    start(app);
                    asked.remove(eui);
                }
            }
        };
    }

    /** Reads the list: each application started, reconnected when it changed, stopped when it went. */
    public synchronized void refresh() throws InterruptedException {
        Map<String, AppNet> wanted = lens.read();
        if (wanted == null) {
            return;
        }
        for (AppNet app : List.copyOf(running.values())) {
            AppNet now = wanted.get(app.eui());
            if (now == null) {
                stop(app, true);
            } else if (!now.json().equals(app.json())) {
                LOG.info("application network {} changed: reconnecting {}", app.eui(), Redact.text(now.url()));
                stop(app, false);
                if (!start(now)) { // what it kept waits in its store for a version that can start
                    running.remove(app.eui());
                }
            }
        }
        wanted.values().stream().filter(app -> !running.containsKey(app.eui())).forEach(this::start);
        asked.clear();
    }

    /** @return whether it started; if not, a WARN said why */
    private boolean start(AppNet app) {
        String webServer;
        try {
            webServer = setup.add(app);
        } catch (RuntimeException e) { // its URL, a certificate: the others go on
            // the message names the application network and the setting
            lens.refuse(app.eui(), app.json(), Redact.text(e.getMessage()) + ": not served, its devices go to the default app");
            return false;
        }
        String c = app.connection();
        if (webServer != null) {
            webServers.put(app.eui(), webServer);
        }
        try {
            if (routesReady) {
                routes.add(app, webServer);
            }
        } catch (Exception e) {
            LOG.warn("application network {}: could not start: {}", app.eui(), Redact.text(e.toString()));
            routes.remove(c);
            teardown.removeComponent(c);
            webServers.remove(app.eui());
            return false;
        }
        running.put(app.eui(), app);
        lens.served(app.eui());
        watcher.added(((Link.Source) context.getComponent(c)).link());
        LOG.info("application network {}: its devices' traffic on {} ({})", app.eui(), Redact.text(app.url()), c);
        return true;
    }

    /**
     * @param removed true: it went from the list, and what its store held is dropped; false: it comes again
     */
    private void stop(AppNet app, boolean removed) {
        String c = app.connection();
        if (removed) {
            running.remove(app.eui()); // new traffic goes to the default app from now on
        }
        teardown.sendClose(c);
        routes.remove(c);
        teardown.removeComponent(c);
        webServers.remove(app.eui());
        forget(c);
        if (removed) {
            teardown.dropStore(app, setup.store(app));
            LOG.info("application network {} removed: {} closed", app.eui(), c);
        }
    }

    /** What outlives a connection's component is let go of with it: its meters, its backhaul throttle. */
    private void forget(String connection) {
        watcher.removed(connection);
        LinkThrottles held = throttles;
        if (held != null) {
            held.forget(connection);
        }
    }

    /** How many backhaul throttles are held: one at most per application served (tests). */
    public int throttlesHeld() {
        LinkThrottles held = throttles;
        return held == null ? 0 : held.held();
    }

    /** At a clean stop of the app: each application network says close. */
    public void closeAll() {
        running.values().forEach(app -> teardown.sendClose(app.connection()));
    }

    /**
     * Once the route files are read: the routes of the applications started so far. A message handed to an
     * application's route meanwhile waits for it on the route's {@code direct:} endpoint.
     */
    public synchronized void routes() throws Exception {
        for (AppNet app : running.values()) {
            routes.add(app, webServers.get(app.eui()));
        }
        routesReady = true;
    }

    /**
     * API 1.0's command filters of an application: {@code lorawan/X/+/<command>} for X = its AppEUI, the GW-UUID and
     * each gateway EUI, comma-separated (one subscription each).
     */
    public static String filters(String appEui, String gatewayUuid, List<String> gatewayEuis, String command) {
        List<String> owners = new ArrayList<>(List.of(appEui, gatewayUuid));
        gatewayEuis.stream().filter(e -> !owners.contains(e)).forEach(owners::add);
        return String.join(",", owners.stream().map(x -> "lorawan/" + x + "/+/" + command).toList());
    }

    /** The application networks served now, by AppEUI (tests, health). */
    public Set<String> served() {
        return Set.copyOf(running.keySet());
    }
}
