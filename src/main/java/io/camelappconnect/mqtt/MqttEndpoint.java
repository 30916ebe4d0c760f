package io.camelappconnect.mqtt;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A topic (publishing) or topic filter (subscribing) of one connection. */
public final class MqttEndpoint extends DefaultEndpoint {

    private final String topic;
    private int qos = 1;
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
        MqttConsumer consumer = new MqttConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
