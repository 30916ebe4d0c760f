package io.camelappconnect.mqtt;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Subscribes to the endpoint's topic filter, or each of a comma-separated list of them (as camel-kafka's consumer
 * takes topics), and routes each message that arrives, in order. Its exchange may finish
 * later (a publish waiting for its PUBACK); the connection's acknowledgement waits for that.
 */
final class MqttConsumer extends DefaultConsumer implements MqttConnection.Handler {

    private final MqttEndpoint endpoint;

    MqttConsumer(MqttEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        for (String filter : endpoint.filters()) {
            endpoint.connection().subscribe(filter, endpoint.getQos(), this);
        }
    }

    @Override
    protected void doStop() throws Exception {
        for (String filter : endpoint.filters()) {
            endpoint.connection().detach(filter, this);
        }
        super.doStop();
    }

    @Override
    public void deliver(MqttConnection.Incoming incoming, Runnable done) {
        Exchange exchange = createExchange(false);
        Message in = exchange.getIn();
        in.setBody(incoming.payload());
        in.setHeader(MqttComponent.TOPIC, incoming.topic());
        in.setHeader(MqttComponent.RETAINED, incoming.retained());
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                if (exchange.getException() != null) {
                    getExceptionHandler().handleException("message on " + incoming.topic(), exchange,
                            exchange.getException());
                }
            } finally {
                releaseExchange(exchange, false);
                done.run();
            }
        });
    }
}
