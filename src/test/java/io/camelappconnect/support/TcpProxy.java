package io.camelappconnect.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to a broker whose connections a test can cut, as a dropped backhaul does, and which can
 * refuse new ones for as long as the backhaul stays down.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean holding;

    public TcpProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "proxy accept");
        accept.setDaemon(true);
        accept.start();
    }

    public String url() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** Drops every connection at once, without an MQTT DISCONNECT: the broker sees the client vanish. */
    public void cut() {
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** While true, a new connection is closed as soon as it is accepted (the broker can't be reached). */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /**
     * While true, what clients send is held back from the broker (the connections stay open; the broker's own
     * packets still come through): the broker is left with nothing it has not passed on.
     */
    public void hold(boolean hold) {
        this.holding = hold;
    }

    /** The backhaul goes down: connections cut, new ones refused until {@code refuse(false)}. */
    public void down() {
        refuse(true);
        cut();
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client = null;
            try {
                client = server.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                if (client != null) {
                    closeQuietly(client); // the broker is down: the client sees its connection fail
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    while (fromClient && holding && !to.isClosed()) {
                        Thread.sleep(5);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException | InterruptedException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
