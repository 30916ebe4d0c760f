package io.camelappconnect.message;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * A topic to publish to (MQTT) or a path to post to (HTTP) as a route names it: {@code ${...}} parts are Simple
 * expressions, filled in for each message, so that one endpoint serves every device (as {@code toD} would not).
 */
public final class FilledTopic {

    private final String topic;
    /** The topic's parts in order: literal text (String) and {@code ${...}} expressions; null when it has none. */
    private final List<Object> parts;

    public FilledTopic(CamelContext context, String topic) {
        this.topic = topic;
        if (!topic.contains("${")) {
            parts = null;
            return;
        }
        parts = new ArrayList<>();
        int at = 0;
        for (int start; (start = topic.indexOf("${", at)) >= 0; ) {
            int end = closing(topic, start);
            if (start > at) {
                parts.add(topic.substring(at, start));
            }
            Expression expression = context.resolveLanguage("simple").createExpression(topic.substring(start, end + 1));
            expression.init(context);
            parts.add(expression);
            at = end + 1;
        }
        if (at < topic.length()) {
            parts.add(topic.substring(at));
        }
    }

    /** The {@code }} that closes the {@code ${} at {@code start}, braces inside counted. */
    private static int closing(String topic, int start) {
        int depth = 0;
        for (int i = start + 1; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException(topic + ": a ${ without its }");
    }

    /**
     * This message's topic.
     *
     * @throws BadMessage when a {@code ${...}} part came out empty, or a level is empty: MQTT allows that, but here it
     *                    is a value the message lacked (a topic that ends in / as its route wrote it, or as a value
     *                    gave it whole, is fine: an Azure hub's devices/{id}/messages/events/)
     */
    public String fill(Exchange exchange) {
        if (parts == null) {
            return topic;
        }
        StringBuilder filled = new StringBuilder(topic.length() + 32);
        boolean lacking = false;
        for (Object part : parts) {
            if (part instanceof Expression expression) {
                String value = expression.evaluate(exchange, String.class);
                lacking |= value == null || value.isEmpty();
                filled.append(value == null ? "" : value);
            } else {
                filled.append((String) part);
            }
        }
        if (lacking || filled.indexOf("//") >= 0 || filled.charAt(0) == '/') {
            throw new BadMessage(topic + " gave the topic '" + filled + "': a level is missing");
        }
        return filled.toString();
    }

    @Override
    public String toString() {
        return topic;
    }
}
