package io.camelappconnect.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP relay that delays each direction by a fixed time, as a cellular backhaul between a gateway and
 * its cloud does (50 ms each way: 100 ms round trip). Each chunk read is written {@code delay} later, in order; there
 * is no bandwidth limit, so what it costs a forwarder is the round trip alone: a forwarder that waits for each
 * PUBACK before the next publish gets one uplink per round trip.
 */
final class DelayProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final long delayNanos;
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    /** A chunk and when it may go on; no data: the sender closed its side. */
    private record Chunk(long dueNanos, byte[] data) {
    }

    DelayProxy(int targetPort, long delayMillis) throws IOException {
        this.target = targetPort;
        this.delayNanos = delayMillis * 1_000_000L;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("delay proxy accept", this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                for (Socket s : new Socket[] {client, upstream}) {
                    s.setTcpNoDelay(true); // the relay itself must not hold back small packets (Nagle)
                    open.add(s);
                }
                relay(client, upstream);
                relay(upstream, client);
            } catch (IOException e) {
                // closed, or the broker is gone: the forwarder sees its connection fail
            }
        }
    }

    /** One direction: a reader stamps each chunk with its due time, a writer sends it then, so order is kept. */
    private void relay(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        daemon("delay proxy read", () -> {
            byte[] buffer = new byte[65536];
            try (InputStream in = from.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException e) {
                // the other side went away
            }
            queue.add(new Chunk(System.nanoTime() + delayNanos, null));
        });
        daemon("delay proxy write", () -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    for (long wait; (wait = c.dueNanos() - System.nanoTime()) > 0; ) {
                        LockSupport.parkNanos(wait);
                    }
                    if (c.data() == null) {
                        to.shutdownOutput();
                        return;
                    }
                    out.write(c.data());
                }
            } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
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
        open.forEach(DelayProxy::closeQuietly);
    }
}
