package io.camelappconnect.protocol;

import io.camelappconnect.mqtt.MqttConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.OnCamelContextStarted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API 1.1.1's {@code connected}, after every connect of the cloud connection. The first connect can complete before
 * the context has finished starting (the connection connects once the routes have started); its {@code connected}
 * then goes once it has, instead of being lost. Each connect is announced once.
 */
public final class ConnectedTrigger implements OnCamelContextStarted {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectedTrigger.class);

    private final MqttConnection cloud;
    private final Runnable send;
    private boolean started;
    private long announced;

    public ConnectedTrigger(MqttConnection cloud, Runnable send) {
        this.cloud = cloud;
        this.send = send;
        cloud.onConnect(this::connected);
    }

    private synchronized void connected() {
        if (started) {
            announce();
        }
    }

    @Override
    public synchronized void onContextStarted(CamelContext context) {
        started = true;
        announce();
    }

    private void announce() {
        long connects = cloud.connects();
        if (connects > announced && cloud.isConnected()) {
            announced = connects;
            try {
                send.run();
            } catch (RuntimeException e) { // neither the connect thread nor Camel's other start hooks may stop here
                LOG.warn("cloud: connected not published: {}", e.getMessage());
            }
        }
    }
}
