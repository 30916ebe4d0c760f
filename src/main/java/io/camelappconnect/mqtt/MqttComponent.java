package io.camelappconnect.mqtt;

import java.util.Map;

import io.camelappconnect.operations.Link;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.service.ServiceHelper;

/**
 * One {@link MqttConnection} as a Camel component, registered under the connection's name: routes read
 * {@code from: lns:lora/+/+/up} (a subscription to that filter) and write
 * {@code to: cloud:lorawan/{{gateway.uuid}}/${header.appEui}/${header.devEui}/up?retained=true} (a publish to that
 * topic; {@code ${...}} parts are Simple expressions, filled in for each message). The connection starts and stops
 * with the component (it connects once the routes have started).
 * <p>
 * Endpoint options ({@link MqttEndpoint}'s {@code @UriParam}s): {@code qos} (0 or 1, default 1) and {@code retained}
 * (publishes only, default false). Headers of a message that arrived: {@link #TOPIC}, {@link #RETAINED} (this class is
 * the endpoint's {@code headersClass}); the body is the payload's bytes. The producer reads no header.
 */
// the scheme camel-package-maven-plugin generates for (the catalog's JSON, the configurers), which DefaultComponent
// finds its generated configurers by, whatever name the connection was registered under; no service file names it,
// so Camel never makes one of its own for an unknown scheme
@org.apache.camel.spi.annotations.Component("lns,cloud")
public final class MqttComponent extends DefaultComponent implements Link.Source {

    /** The topic a message arrived on. */
    @Metadata(label = "consumer", javaType = "String", description = "The topic the message arrived on (a subscription"
            + " to a filter with wildcards: the topic it matched)")
    public static final String TOPIC = "CamelMqttTopic";
    /** Whether it arrived as a retained message (stored on the broker from before). */
    @Metadata(label = "consumer", javaType = "boolean", description = "Whether the message arrived as a retained"
            + " message: stored on the broker from before the subscription")
    public static final String RETAINED = "CamelMqttRetained";

    private final MqttConnection connection;

    public MqttComponent(MqttConnection connection) {
        this.connection = connection;
    }

    /** Adds a connection to a running (or starting) context: its routes can use its name from now on. */
    public static MqttComponent add(CamelContext context, ConnectionConfig config) {
        if (context.hasComponent(config.name()) != null) {
            throw new IllegalArgumentException("a component named " + config.name() + " exists already: give the"
                    + " connection another name");
        }
        MqttComponent component = new MqttComponent(new MqttConnection(config));
        context.addComponent(config.name(), component);
        return component;
    }

    /**
     * Stops a connection and removes it: it disconnects cleanly, and what it kept stays in its store, sent when a
     * connection of that name and store comes again. Stop the routes that use it first.
     */
    public static void remove(CamelContext context, String name) {
        Component removed = context.removeComponent(name);
        if (!(removed instanceof MqttComponent)) {
            throw new IllegalArgumentException("no connection named " + name);
        }
        ServiceHelper.stopAndShutdownService(removed);
    }

    public MqttConnection connection() {
        return connection;
    }

    @Override
    public Link link() {
        return connection;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        MqttEndpoint endpoint = new MqttEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * Connects once the routes have started (at once for a connection added later): a kept session's messages come
     * right after the CONNACK, and each must find the subscription of its route, not be taken for one no route wants.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        getCamelContext().addStartupListener((context, alreadyStarted) -> connection.start());
    }

    @Override
    protected void doStop() throws Exception {
        connection.stop();
        super.doStop();
    }
}
