package io.camelappconnect.protocol;

import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command that came with the retain flag is a stale one stored on the broker: it is handled this once, and
 * cleared by an empty retained message to its topic (behaviour.md 3), so it doesn't run again at every connect.
 */
public final class ClearRetained implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ClearRetained.class);

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        if (in.getHeader(MqttComponent.RETAINED, false, Boolean.class) && in.getBody(byte[].class).length > 0) {
            String topic = in.getHeader(MqttComponent.TOPIC, String.class);
            // on the connection it came by: with API 1.0 each application network has its own
            ((MqttEndpoint) exchange.getFromEndpoint()).getComponent().connection().publish(topic, new byte[0], 1, true);
            LOG.info("{}: retained command handled once and cleared from the broker", topic);
        }
    }
}
