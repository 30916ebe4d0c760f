package io.camelappconnect.lens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.operations.Link;
import io.camelappconnect.operations.Redact;
import io.camelappconnect.protocol.BackhaulThrottle;
import io.camelappconnect.protocol.DeviceEuis;
import io.camelappconnect.protocol.TopicTemplate;
import io.camelappconnect.request.LoraQuery;
import io.camelappconnect.store.MessageStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceHelper;
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
 * held is dropped, counted and said in a WARN, and its devices go to the default app again.
 */
public final class AppNetworks {

    /** Header: the connection of the device's application ({@code cloud} for the default app). */
    public static final String APP = "app";
    public static final String DEFAULT = "cloud";

    private static final Logger LOG = LoggerFactory.getLogger(AppNetworks.class);
    /** The route templates an application's routes are made from (route ids {@code <template>-<connection>}). */
    private static final List<String> TEMPLATES = List.of("app-up", "app-joined", "app-moved", "app-down", "app-clear",
            "app-init", "app-close", "server-up", "server-joined", "server-moved", "server-posts", "server-poll",
            "server-init", "server-close", "hub-up", "hub-joined", "hub-moved", "hub-init", "hub-close", "hub-c2d");

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
    private final String gatewayUuid;
    private final List<String> gatewayEuis;
    /** The default app's app.options.downlinkTopic, or null. */
    private final TopicTemplate.Subscription downlinkTopic;
    private final boolean overrideTopicsForAllApps;
    private final String program;
    private final long timeoutMs;
    private final long refreshMs;
    private final Counters counters;

    private final Map<String, AppNet> running = new ConcurrentHashMap<>();
    /**
     * The backhaul throttle of each application's link, removed with its connection ({@link #forget}): a throttle
     * holds its link, and so the whole old connection, so weak keys never let go of it.
     */
    private final Map<Link, BackhaulThrottle> throttles = new ConcurrentHashMap<>();
    /** The URL of each application that is a web server, by AppEUI. */
    private final Map<String, String> webServers = new ConcurrentHashMap<>();
    /** What was refused of an application, so that the same refusal is not said again at each read. */
    private final Map<String, JsonNode> refused = new ConcurrentHashMap<>();
    /** AppEUIs asked with {@code appnet get} that had no application, and when. */
    private final Map<String, Long> asked = new ConcurrentHashMap<>();
    private volatile String lastListProblem = "";
    /** Told of each application's link as it comes and goes (its meters); none until metrics are on. */
    private volatile LinkWatcher watcher = LinkWatcher.NONE;

    /** Routes can be made once the route files are read; until then an application gets its connection only. */
    private volatile boolean routesReady;

    public AppNetworks(CamelContext context, Setup setup, String gatewayUuid, List<String> gatewayEuis,
                       TopicTemplate.Subscription downlinkTopic, boolean overrideTopicsForAllApps, String program,
                       long timeoutMs, long refreshMs, Counters counters) {
        this.context = context;
        this.setup = setup;
        this.gatewayUuid = gatewayUuid;
        this.gatewayEuis = gatewayEuis;
        this.downlinkTopic = downlinkTopic;
        this.overrideTopicsForAllApps = overrideTopicsForAllApps;
        this.program = program;
        this.timeoutMs = timeoutMs;
        this.refreshMs = refreshMs;
        this.counters = counters;
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
        return exchange -> {
            String connection = exchange.getMessage().getHeader(APP, String.class);
            Component component = connection == null || connection.equals(DEFAULT) ? null
                    : context.hasComponent(connection);
            if (!(component instanceof Link.Source source)) {
                main.process(exchange);
                return;
            }
            throttles.computeIfAbsent(source.link(), link -> new BackhaulThrottle(link::isConnected, link::connects,
                    config)).process(exchange);
        };
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
            JsonNode answer;
            try {
                answer = LoraQuery.ask(program, timeoutMs, "appnet", "get", eui);
            } catch (IOException e) {
                LOG.debug("appnet get {}: {}", eui, e.getMessage());
                return; // not an application network's: the default app's device
            }
            synchronized (this) {
                AppNet app = accepted(answer.isArray() && answer.size() == 1 ? answer.get(0) : answer);
                if (app != null && app.eui().equals(eui) && !running.containsKey(eui)) {
                    start(app);
                    asked.remove(eui);
                }
            }
        };
    }

    /** Reads the list: each application started, reconnected when it changed, stopped when it went. */
    public synchronized void refresh() throws InterruptedException {
        JsonNode list;
        try {
            list = LoraQuery.ask(program, timeoutMs, "appnet", "list", "json");
            if (!list.isArray()) {
                throw new IOException("not a JSON array but " + list.getNodeType().toString().toLowerCase(Locale.ROOT));
            }
        } catch (IOException e) {
            String problem = e.getMessage();
            if (!problem.equals(lastListProblem)) { // once, not every minute
                LOG.warn("lora-query -x appnet list json: {}; the application networks stay as they are", problem);
                lastListProblem = problem;
            }
            return;
        }
        lastListProblem = "";
        Map<String, AppNet> wanted = new LinkedHashMap<>();
        for (JsonNode item : list) {
            AppNet app = accepted(item);
            if (app != null) {
                wanted.put(app.eui(), app);
            }
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

    /** Route parameters and a connection for an application; null (and a WARN, once) for one that can't be served. */
    private AppNet accepted(JsonNode item) {
        AppNet app;
        try {
            app = AppNet.parse(item);
        } catch (BadMessage e) {
            // the message names the application and the field, never what it holds (a password, a key)
            warnOnce(String.valueOf(item), item, "application network refused: " + e.getMessage()
                    + "; its devices go to the default app");
            return null;
        }
        if (app.url().isEmpty()) {
            return null; // served by the default app, as in MultiTech's program
        }
        return app;
    }

    private void warnOnce(String key, JsonNode item, String message) {
        if (!item.equals(refused.put(key, item))) {
            LOG.warn(message);
        }
    }

    /** @return whether it started; if not, a WARN said why */
    private boolean start(AppNet app) {
        String webServer;
        try {
            webServer = setup.add(app);
        } catch (RuntimeException e) { // its URL, a certificate: the others go on
            // the message names the application network and the setting
            warnOnce(app.eui(), app.json(), Redact.text(e.getMessage()) + ": not served, its devices go to the default app");
            return false;
        }
        String c = app.connection();
        if (webServer != null) {
            webServers.put(app.eui(), webServer);
        }
        try {
            if (routesReady) {
                routes(app);
            }
        } catch (Exception e) {
            LOG.warn("application network {}: could not start: {}", app.eui(), Redact.text(e.toString()));
            removeRoutes(c);
            removeComponent(c);
            webServers.remove(app.eui());
            return false;
        }
        running.put(app.eui(), app);
        refused.remove(app.eui());
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
        sendClose(c);
        removeRoutes(c);
        removeComponent(c);
        webServers.remove(app.eui());
        forget(c);
        if (removed) {
            dropStore(app, setup.store(app));
            LOG.info("application network {} removed: {} closed", app.eui(), c);
        }
    }

    /** What outlives a connection's component is let go of with it: its meters, its backhaul throttle. */
    private void forget(String connection) {
        watcher.removed(connection);
        throttles.keySet().removeIf(link -> link.name().equals(connection));
    }

    /** How many backhaul throttles are held: one at most per application served (tests). */
    public int throttlesHeld() {
        return throttles.size();
    }

    /** close, as a clean stop of the app says it; 5 s at the most. */
    private void sendClose(String connection) {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.asyncSendBody("direct:close-" + connection + "?block=false&failIfNoConsumers=false", "")
                    .get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("{}: close not acknowledged within 5 s: {}", connection, e.toString());
        }
    }

    /** At a clean stop of the app: each application network says close. */
    public void closeAll() {
        running.values().forEach(app -> sendClose(app.connection()));
    }

    /** Its connection or web server stops: what it held in memory is kept in its store. */
    private void removeComponent(String connection) {
        Component component = context.removeComponent(connection);
        if (component != null) {
            ServiceHelper.stopAndShutdownService(component);
        }
    }

    private void dropStore(AppNet app, Path dir) {
        int kept;
        try (MessageStore store = new MessageStore(app.connection(), dir, Integer.MAX_VALUE, Long.MAX_VALUE, -1)) {
            kept = store.size();
        }
        if (kept > 0) {
            LOG.warn("application network {} removed with {} messages kept for it: dropped", app.eui(), kept);
            counters.appnetDropped(kept);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("{}: {} not removed: {}", app.connection(), dir, e.toString());
        }
    }

    /**
     * Once the route files are read: the routes of the applications started so far. A message handed to an
     * application's route meanwhile waits for it on the route's {@code direct:} endpoint.
     */
    public synchronized void routes() throws Exception {
        for (AppNet app : running.values()) {
            routes(app);
        }
        routesReady = true;
    }

    /**
     * An application network's routes: those of an MQTT connection, of an Azure IoT Hub's device
     * (routes/azure-*.yaml), or of a web server (routes/http-*.yaml).
     */
    private void routes(AppNet app) throws Exception {
        String c = app.connection();
        String url = webServers.get(app.eui());
        if (url == null && AppConfig.CloudService.parse("cloudService", app.option("cloudService", "NONE"))
                == AppConfig.CloudService.AZURE) {
            hubRoutes(c, app.option("client_id", ""));
            return;
        }
        if (url == null) {
            routes(c, app.eui());
            return;
        }
        add("server-up", c, Map.of());
        add("server-joined", c, Map.of());
        add("server-moved", c, Map.of());
        add("server-posts", c, Map.of("url", url));
        add("server-poll", c, Map.of("url", url, "appEui", app.eui()));
        add("server-init", c, Map.of("appEui", app.eui()));
        add("server-close", c, Map.of("appEui", app.eui(), "closeOn", "direct:close-" + c));
    }

    /**
     * An MQTT application network's routes from the templates: its uplinks, joins, moves, downlinks, clears, init and
     * close; with overrideTopicsForAllApps, the default app's app.options.uplinkTopic and downlinkTopic apply.
     */
    private void routes(String connection, String appEui) throws Exception {
        boolean custom = overrideTopicsForAllApps;
        add("app-up", connection, Map.of("uplinkTopicTemplate", custom ? "uplinkTopicTemplate" : "noTopicTemplate"));
        add("app-joined", connection, Map.of());
        add("app-moved", connection, Map.of());
        add("app-down", connection, Map.of("device", custom ? "downlinkDevice" : "downlinkDeviceApi10", "filters",
                custom && downlinkTopic != null ? downlinkTopic.filter() : filters(appEui, gatewayUuid, gatewayEuis, "down")));
        add("app-clear", connection, Map.of("filters", filters(appEui, gatewayUuid, gatewayEuis, "clear")));
        add("app-init", connection, Map.of("appEui", appEui));
        add("app-close", connection, Map.of("appEui", appEui));
    }

    /** A hub's device: D2C messages and C2D messages, no requests (they come on the default app's connection). */
    private void hubRoutes(String connection, String deviceId) throws Exception {
        add("hub-up", connection, Map.of("deviceId", deviceId,
                "uplinkTopicTemplate", overrideTopicsForAllApps ? "uplinkTopicTemplate" : "noTopicTemplate"));
        add("hub-joined", connection, Map.of("deviceId", deviceId));
        add("hub-moved", connection, Map.of("deviceId", deviceId));
        add("hub-init", connection, Map.of("deviceId", deviceId));
        add("hub-close", connection, Map.of("deviceId", deviceId, "closeOn", "direct:close-" + connection));
        add("hub-c2d", connection, Map.of("deviceId", deviceId));
    }

    private void add(String template, String connection, Map<String, Object> parameters) throws Exception {
        Map<String, Object> all = new HashMap<>(parameters);
        all.put("connection", connection);
        all.put("enabled", "true");
        context.addRouteFromTemplate(template + "-" + connection, template, all);
    }

    private void removeRoutes(String connection) {
        for (String template : TEMPLATES) {
            String id = template + "-" + connection;
            if (context.getRoute(id) != null) {
                try {
                    context.getRouteController().stopRoute(id);
                    context.removeRoute(id);
                } catch (Exception e) {
                    LOG.warn("{}: route {} not removed: {}", connection, id, e.toString());
                }
            }
        }
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
