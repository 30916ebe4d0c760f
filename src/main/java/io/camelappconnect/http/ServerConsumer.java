package io.camelappconnect.http;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * Hands the route each request that waits for the server, one at a time, on the queue's own thread; an exception
 * the route ends with (camel-http's for a failed answer) tells the queue the server did not take it.
 */
final class ServerConsumer extends DefaultConsumer implements ServerQueue.Sender {

    private final ServerEndpoint endpoint;

    ServerConsumer(ServerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        endpoint.queue().attach(this);
    }

    @Override
    protected void doStop() throws Exception {
        endpoint.queue().detach(this);
        super.doStop();
    }

    @Override
    public void post(String path, byte[] body, int messages) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(body);
            exchange.getIn().setHeader(ServerComponent.PATH, path);
            exchange.getIn().setHeader(ServerComponent.MESSAGES, messages);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }
}
