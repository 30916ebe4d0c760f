package io.camelappconnect.mqtt;

import java.util.Arrays;
import java.util.List;

import io.camelappconnect.message.FilledTopic;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A broker connection's topics: the scheme is the connection's name, not a fixed word. {@code lns} (the gateway's own
 * broker), {@code cloud} (the cloud broker or Azure IoT hub, MQTT mode) and each {@code mqtt.connection.NAME} the
 * configuration declares (and each LENS application network) are instances of one component class, registered by the
 * app at start under that name with its own connection; they take the same options and set the same headers.
 * <p>
 * A topic (publishing) or topic filters (subscribing: one, or several comma-separated) of one connection. A topic to
 * publish to may hold Simple expressions ({@code lora/${header.devEui}/down}): the route names the topic the protocol
 * document spells, and each message fills in its own levels without an endpoint per topic (as {@code toD} would make).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "lns,cloud", title = "MQTT connection", syntax = "lns:topic",
        category = {Category.MESSAGING, Category.IOT}, headersClass = MqttComponent.class)
public final class MqttEndpoint extends DefaultEndpoint {

    @UriPath(description = "Publishing: the topic, whose levels may hold Simple expressions filled in for each message"
            + " (lorawan/${header.appEui}/${header.devEui}/up). Subscribing: a topic filter (MQTT's wildcards match"
            + " levels), or several separated by commas, fixed (no ${...})")
    @Metadata(required = true)
    private final String topic;
    private FilledTopic filled;
    @UriParam(defaultValue = "1", enums = "0,1", description = "The QoS of the publish, or of the subscription (the"
            + " protocol's messages are QoS 1)")
    private int qos = 1;
    @UriParam(label = "producer", defaultValue = "false", description = "Publish as a retained message: the broker"
            + " keeps the last one of the topic for subscribers that come later")
    private boolean retained;

    MqttEndpoint(String uri, MqttComponent component, String topic) {
        super(uri, component);
        this.topic = topic;
    }

    @Override
    public MqttComponent getComponent() {
        return (MqttComponent) super.getComponent();
    }

    MqttConnection connection() {
        return getComponent().connection();
    }

    public String getTopic() {
        return topic;
    }

    /** A consumer's topic filters: the topic, split at commas. */
    List<String> filters() {
        return Arrays.stream(topic.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
    }

    /** The topic this exchange's message is published to (public: route tests show it without a broker). */
    public String topic(Exchange exchange) {
        // an empty level is bad input, a WARN and the next message (what MQTT itself refuses, + or #, the connection
        // refuses the same way when it publishes)
        return filled.fill(exchange);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        filled = new FilledTopic(getCamelContext(), topic);
    }

    public int getQos() {
        return qos;
    }

    /** 0 or 1 (the protocol's messages are QoS 1). */
    public void setQos(int qos) {
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos=" + qos + ": must be 0 or 1");
        }
        this.qos = qos;
    }

    public boolean isRetained() {
        return retained;
    }

    public void setRetained(boolean retained) {
        this.retained = retained;
    }

    @Override
    public Producer createProducer() {
        return new MqttProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (topic.contains("${")) {
            throw new IllegalArgumentException(getEndpointUri() + ": a subscription's filter is fixed (+ and # match"
                    + " levels); ${...} is for topics published to");
        }
        MqttConsumer consumer = new MqttConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
