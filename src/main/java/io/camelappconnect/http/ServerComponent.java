package io.camelappconnect.http;

import java.util.Map;

import io.camelappconnect.operations.Link;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The web server of HTTP mode as a Camel component, {@code server:}. A route writes
 * {@code to: server:api/v1/lorawan/${header.appEui}/${header.devEui}/up} (the path below the URL's prefix;
 * {@code ${...}} parts are Simple expressions filled in for each message): the message is queued for the server
 * ({@link ServerQueue}), and the exchange goes on once it is safe. One route reads {@code from: server:posts}: it
 * gets what waits, oldest first, one request at a time, with header {@link #PATH}, and posts it (camel-http).
 */
// the scheme camel-package-maven-plugin generates for, and DefaultComponent finds the generated configurers by
@org.apache.camel.spi.annotations.Component("server")
public final class ServerComponent extends DefaultComponent implements Link.Source {

    /** The path below the URL's prefix a request goes to: camel-http appends it to the endpoint's URL. */
    @Metadata(label = "consumer", javaType = "String", description = "The path below the server URL's prefix the"
            + " request goes to; camel-http's own header, so an http: endpoint appends it to its URL")
    public static final String PATH = "CamelHttpPath";
    /** How many messages the request's body holds (more than one: a batch, a JSON array). */
    @Metadata(label = "consumer", javaType = "int", description = "How many messages the request's body holds: more"
            + " than one is a batch, a JSON array")
    public static final String MESSAGES = "CamelServerMessages";

    private final ServerQueue queue;

    public ServerComponent(ServerQueue queue) {
        this.queue = queue;
    }

    public ServerQueue queue() {
        return queue;
    }

    @Override
    public Link link() {
        return queue;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ServerEndpoint endpoint = new ServerEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    @Override
    protected void doStop() throws Exception {
        queue.stop();
        super.doStop();
    }
}
