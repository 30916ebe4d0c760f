package io.camelappconnect.protocol;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command that came with the retain flag is a stale one stored on the broker: it is handled this once, and
 * cleared by an empty retained message to its topic (behaviour.md 3), so it doesn't run again at every connect. That
 * empty message comes back to our own subscription: it is no command, so that API 1.0's clear, for which an empty
 * message is a command, does not take it for one. This step decides (property {@link #RETAINED}); the route
 * {@code retained-command} (routes/downlinks.yaml) publishes the clearing, or stops.
 */
public final class ClearRetained implements Processor {

    /** Exchange property: {@link #STALE} or {@link #ECHO}; not set for any other message. */
    public static final String RETAINED = "retainedCommand";
    /** A retained command: handled this once, and cleared on the broker. */
    public static final String STALE = "stale";
    /** The empty message our own clearing brings back: nothing to do. */
    public static final String ECHO = "echo";

    /** How long our clearing's echo is waited for; a bound on what is remembered. */
    private static final long ECHO_NANOS = 10_000_000_000L;
    private static final int MAX_ECHOES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ClearRetained.class);

    /** Topics cleared, and when: the empty message each gets back. */
    private final Map<String, Long> echoes = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String topic = in.getHeader(MqttComponent.TOPIC, String.class);
        if (in.getBody(byte[].class).length == 0) {
            Long cleared = echoes.remove(topic);
            if (cleared != null && System.nanoTime() - cleared < ECHO_NANOS) {
                LOG.debug("{}: our own clearing of a retained command, nothing to do", topic);
                exchange.setProperty(RETAINED, ECHO);
            }
            return;
        }
        if (in.getHeader(MqttComponent.RETAINED, false, Boolean.class)) {
            long now = System.nanoTime();
            if (echoes.size() >= MAX_ECHOES) { // echoes a broker did not send back
                echoes.values().removeIf(cleared -> now - cleared >= ECHO_NANOS);
            }
            if (echoes.size() < MAX_ECHOES) {
                echoes.put(topic, now); // before the route clears it: the echo may come back at once
            }
            exchange.setProperty(RETAINED, STALE);
        }
    }
}
