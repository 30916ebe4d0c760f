package io.camelappconnect.mqtt;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Publishes the body to the endpoint's topic (filled in for this message when it holds {@code ${...}}). The exchange goes on
 * once the message is safe (acknowledged by the broker, or kept in the store), so that a route acknowledged after
 * it ({@link ConnectionConfig.Ack#AFTER_ROUTE}) is acknowledged only then; meanwhile the consumer goes on with the
 * next message, so publishes are pipelined up to the connection's window.
 */
final class MqttProducer extends DefaultAsyncProducer {

    private final MqttEndpoint endpoint;

    MqttProducer(MqttEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            String topic = endpoint.topic(exchange);
            byte[] payload = exchange.getMessage().getMandatoryBody(byte[].class);
            endpoint.connection().publish(topic, payload, endpoint.getQos(), endpoint.isRetained())
                    .whenComplete((ok, error) -> callback.done(false));
            return false;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }
}
