package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptSubscribeMessage;

/**
 * A real MQTT broker (Moquette) on a loopback port, in memory, for tests and the demo. It records every
 * CONNECT and SUBSCRIBE it sees, so tests can check what the bridge asked for on the wire.
 */
public final class EmbeddedBroker implements TestBroker {

    private final int port;
    private final List<InterceptConnectMessage> connects = new CopyOnWriteArrayList<>();
    private final List<String> subscriptions = new CopyOnWriteArrayList<>();
    private final IAuthorizatorPolicy policy;
    private Server server;

    public EmbeddedBroker(int port) {
        this(port, null);
    }

    private EmbeddedBroker(int port, IAuthorizatorPolicy policy) {
        this.port = port;
        this.policy = policy;
    }

    /** A broker on a free loopback port, started. */
    public static EmbeddedBroker start() {
        return start(null);
    }

    /** With what a client may read and write decided by {@code policy}: a refused SUBSCRIBE is a SUBACK failure. */
    public static EmbeddedBroker start(IAuthorizatorPolicy policy) {
        EmbeddedBroker broker = new EmbeddedBroker(freePort(), policy);
        broker.restart();
        return broker;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void restart() {
        Properties p = new Properties();
        p.setProperty("host", "127.0.0.1");
        p.setProperty("port", String.valueOf(port));
        p.setProperty("websocket_port", "disabled");
        p.setProperty("allow_anonymous", "true");
        p.setProperty("allow_zero_byte_client_id", "true"); // mosquitto_sub and mosquitto_pub send none
        p.setProperty("persistence_enabled", "false");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("netty.mqtt.message_size", String.valueOf(1024 * 1024)); // 8,092 bytes otherwise
        Server s = new Server();
        try {
            s.startServer(new MemoryConfig(p), List.of(new Recorder()), null, null, policy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = s;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stopServer();
            server = null;
        }
    }

    public List<InterceptConnectMessage> connects() {
        return connects;
    }

    public List<String> subscriptions() {
        return subscriptions;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final class Recorder extends AbstractInterceptHandler {
        @Override
        public String getID() {
            return "recorder";
        }

        @Override
        public void onConnect(InterceptConnectMessage msg) {
            connects.add(msg);
        }

        @Override
        public void onSubscribe(InterceptSubscribeMessage msg) {
            subscriptions.add(msg.getClientID() + " " + msg.getTopicFilter());
        }

        @Override
        public void onSessionLoopError(Throwable error) {
            // a client that vanished mid-session: what some tests do on purpose
        }
    }
}
