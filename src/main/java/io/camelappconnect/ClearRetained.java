package io.camelappconnect;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.PahoConstants;
import org.apache.camel.component.paho.PahoMessage;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command that came with the retain flag is a stale one stored on the broker: it is handled this once, and
 * cleared by an empty retained message to its topic (behaviour.md 3), so it doesn't run again at every connect.
 */
public final class ClearRetained implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(ClearRetained.class);

    private final MqttClient cloud;

    public ClearRetained(MqttClient cloud) {
        this.cloud = cloud;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        if (exchange.getIn() instanceof PahoMessage in && in.getMqttMessage().isRetained()
                && in.getMqttMessage().getPayload().length > 0) {
            String topic = in.getHeader(PahoConstants.MQTT_TOPIC, String.class);
            MqttMessage empty = new MqttMessage(new byte[0]);
            empty.setQos(1);
            empty.setRetained(true);
            cloud.publish(topic, empty);
            LOG.info("{}: retained command handled once and cleared from the broker", topic);
        }
    }
}
