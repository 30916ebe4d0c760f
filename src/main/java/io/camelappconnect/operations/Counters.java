package io.camelappconnect.operations;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What the bridge has done since the start, counted on the way (a LongAdder each: nothing measurable per
 * message). {@link Metrics} shows them on /observe/metrics when management is on; the
 * connections' own counts (kept, dropped, reconnects) are read from the connections there, not counted twice.
 */
public final class Counters {

    /** The LNS events forwarded to the cloud. */
    public static final List<String> EVENTS = List.of("up", "joined", "moved");
    /** The cloud commands passed on to the LNS. */
    public static final List<String> COMMANDS = List.of("down", "clear");
    public static final List<String> REQUESTS = List.of("lora", "api", "log");

    private final Map<String, LongAdder> forwarded = adders(EVENTS);
    private final Map<String, LongAdder> commands = adders(COMMANDS);
    private final Map<String, LongAdder> answered = adders(REQUESTS);
    private final Map<String, LongAdder> refused = adders(REQUESTS);
    private final LongAdder badInput = new LongAdder();
    private final LongAdder serverRefused = new LongAdder();
    private final LongAdder appnetDropped = new LongAdder();

    /** An LNS event handed to the cloud connection: published, or kept on disk while the cloud is away. */
    public void forwarded(String event) {
        increment(forwarded, event);
    }

    /** A cloud command handed to the LNS connection. */
    public void command(String command) {
        increment(commands, command);
    }

    /** A request's answer: the result, or (refused) an error answer. */
    public void request(String kind, boolean ok) {
        increment(ok ? answered : refused, kind);
    }

    /** A message refused with a WARN (routes/bad-input.yaml). */
    public void badInput() {
        badInput.increment();
    }

    /** HTTP mode: a message the web server refused for good (a 4xx other than 408 and 429), dropped with a WARN. */
    public void serverRefused() {
        serverRefused.increment();
    }

    public long serverRefusedCount() {
        return serverRefused.sum();
    }

    /** API 1.0: messages kept for a LENS application network that was removed, dropped with a WARN. */
    public void appnetDropped(long messages) {
        appnetDropped.add(messages);
    }

    public long appnetDroppedCount() {
        return appnetDropped.sum();
    }

    public long forwardedCount(String event) {
        return forwarded.get(event).sum();
    }

    public long commandCount(String command) {
        return commands.get(command).sum();
    }

    public long requestCount(String kind, boolean ok) {
        return (ok ? answered : refused).get(kind).sum();
    }

    public long badInputCount() {
        return badInput.sum();
    }

    private static void increment(Map<String, LongAdder> counts, String key) {
        LongAdder adder = counts.get(key);
        if (adder != null) { // a kind a user's own route made up is not counted, rather than failing the route
            adder.increment();
        }
    }

    private static Map<String, LongAdder> adders(List<String> keys) {
        return keys.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), k -> new LongAdder()));
    }
}
