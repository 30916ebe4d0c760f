package io.camelappconnect.http;

import io.camelappconnect.message.FilledTopic;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/** A path on the web server (producing), or the queue's posts (consuming, {@code server:posts}). */
public final class ServerEndpoint extends DefaultEndpoint {

    private final String path;
    private FilledTopic filled;

    ServerEndpoint(String uri, ServerComponent component, String path) {
        super(uri, component);
        this.path = path;
    }

    @Override
    public ServerComponent getComponent() {
        return (ServerComponent) super.getComponent();
    }

    ServerQueue queue() {
        return getComponent().queue();
    }

    /** The path this exchange's message goes to (public: route tests show it without a server). */
    public String path(Exchange exchange) {
        return filled.fill(exchange);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        filled = new FilledTopic(getCamelContext(), path);
    }

    @Override
    public Producer createProducer() {
        return new ServerProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (!path.equals("posts")) {
            throw new IllegalArgumentException(getEndpointUri() + ": a route reads server:posts (what waits for the"
                    + " server); a path is for messages sent to it");
        }
        ServerConsumer consumer = new ServerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }
}
