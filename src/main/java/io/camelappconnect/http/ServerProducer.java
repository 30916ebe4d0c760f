package io.camelappconnect.http;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Queues the body for the endpoint's path. The exchange goes on once the message is safe (taken by the server, or
 * kept on disk), so the LNS acknowledges it only then; meanwhile the LNS consumer goes on with the next message,
 * which is how several come to wait and go as a batch.
 */
final class ServerProducer extends DefaultAsyncProducer {

    private final ServerEndpoint endpoint;

    ServerProducer(ServerEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            String path = endpoint.path(exchange);
            byte[] body = exchange.getMessage().getMandatoryBody(byte[].class);
            endpoint.queue().post(path, body).whenComplete((ok, error) -> callback.done(false));
            return false;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }
}
