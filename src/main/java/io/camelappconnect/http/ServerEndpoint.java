package io.camelappconnect.http;

import io.camelappconnect.message.FilledTopic;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * A path on the web server (producing), or the queue's posts (consuming, server:posts). HTTP mode's one
 * component, registered by the app at start under the name {@code server} with its queue and store; the consumer sets
 * {@link ServerComponent}'s headers, the producer reads none. No options besides Camel's own.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "server", title = "HTTP mode's web server", syntax = "server:path",
        category = {Category.HTTP, Category.IOT}, headersClass = ServerComponent.class)
public final class ServerEndpoint extends DefaultEndpoint {

    @UriPath(description = "Producing: the path below the server URL's prefix the message is posted to, whose parts"
            + " may hold Simple expressions filled in for each message"
            + " (api/v1/lorawan/${header.appEui}/${header.devEui}/up). Consuming: posts, what waits for the server,"
            + " oldest first, one request at a time")
    @Metadata(required = true)
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
