package io.camelappconnect.protocol;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * A topic to publish to (MQTT) or a path to post to (HTTP) as a route names it: {@code ${...}} parts are Simple
 * expressions, filled in for each message, so that one endpoint serves every device (as {@code toD} would not).
 */
public final class FilledTopic {

    private final String topic;
    /** Null when the topic holds no {@code ${...}}: the same for every message. */
    private final Expression expression;

    public FilledTopic(CamelContext context, String topic) {
        this.topic = topic;
        if (topic.contains("${")) {
            expression = context.resolveLanguage("simple").createExpression(topic);
            expression.init(context);
        } else {
            expression = null;
        }
    }

    /**
     * This message's topic.
     *
     * @throws BadMessage when a level came out empty: MQTT allows that, but here it is a value the message lacked
     */
    public String fill(Exchange exchange) {
        if (expression == null) {
            return topic;
        }
        String filled = expression.evaluate(exchange, String.class);
        if (filled == null || filled.isEmpty() || filled.contains("//") || filled.startsWith("/")
                || filled.endsWith("/")) {
            throw new BadMessage(topic + " gave the topic '" + filled + "': a level is missing");
        }
        return filled;
    }

    @Override
    public String toString() {
        return topic;
    }
}
