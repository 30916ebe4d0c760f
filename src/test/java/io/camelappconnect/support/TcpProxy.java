package io.camelappconnect.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback TCP relay to a broker whose connections a test can cut, as a dropped backhaul does, and which can
 * refuse new ones for as long as the backhaul stays down, or ({@link #delaying}) a long backhaul: this machine has
 * no netem.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final long delayNanos;
    /** Client packets passed whole, by MQTT's fixed header: {@link #mqtt}. */
    private final boolean framed;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean holding;
    private volatile boolean silent;
    private volatile boolean droppingPublishes;
    private final AtomicInteger closingAfterReply = new AtomicInteger();

    /** A chunk read, and when it may go on; no data: its sender is gone. */
    private record Chunk(long dueNanos, byte[] data) {
    }

    public TcpProxy(int targetPort) throws IOException {
        this(targetPort, 0, false);
    }

    private TcpProxy(int targetPort, long delayMillis, boolean framed) throws IOException {
        this.target = targetPort;
        this.delayNanos = delayMillis * 1_000_000L;
        this.framed = framed;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("proxy accept", this::accept);
    }

    /**
     * Each chunk passes on {@code delayMillis} after it came, each way and in order, with no bandwidth limit: what it
     * costs a client is the round trip alone (50 ms each way: a 100 ms cellular backhaul).
     */
    public static TcpProxy delaying(int targetPort, long delayMillis) throws IOException {
        return new TcpProxy(targetPort, delayMillis, false);
    }

    /** To an MQTT broker: what clients send passes packet by packet, so that {@link #dropPublishes} can drop some. */
    public static TcpProxy mqtt(int targetPort) throws IOException {
        return new TcpProxy(targetPort, 0, true);
    }

    public String url() {
        return "tcp://127.0.0.1:" + port();
    }

    public int port() {
        return server.getLocalPort();
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

    /**
     * While true, nothing passes either way and nothing is closed: a connection made now is accepted and never
     * answered, one made before goes silent (a link that drops packets instead of resetting).
     */
    public void silent(boolean silent) {
        this.silent = silent;
    }

    /**
     * While true, the clients' PUBLISH packets are dropped and the rest passes (CONNECT, SUBSCRIBE, PINGREQ): a broker
     * or relay that answers pings but takes no message, which no keepalive notices.
     */
    public void dropPublishes(boolean drop) {
        if (!framed) {
            throw new IllegalStateException("only a relay made by TcpProxy.mqtt sees packets");
        }
        this.droppingPublishes = drop;
    }

    /**
     * The next {@code connections} connections are closed right after the broker's first packet (its CONNACK) has
     * reached the client: a link that breaks in the moment a connection comes up.
     */
    public void closeAfterConnack(int connections) {
        closingAfterReply.set(connections);
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
                for (Socket s : new Socket[] {client, upstream}) {
                    s.setTcpNoDelay(true); // the relay itself must not hold back small packets (Nagle)
                    open.add(s);
                }
                boolean closeAfterReply = closingAfterReply.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                if (framed) {
                    pumpPackets(client, upstream);
                } else {
                    pump(client, upstream, true, false);
                }
                pump(upstream, client, false, closeAfterReply);
            } catch (IOException e) {
                if (client != null) {
                    closeQuietly(client); // the broker is down: the client sees its connection fail
                }
            }
        }
    }

    /** From a client of {@link #mqtt}: packet by packet (MQTT's fixed header), so a PUBLISH can be dropped whole. */
    private void pumpPackets(Socket from, Socket to) {
        daemon("proxy packets", () -> {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(from.getInputStream()));
                 OutputStream out = to.getOutputStream()) {
                for (int type; (type = in.read()) >= 0; ) {
                    ByteArrayOutputStream packet = new ByteArrayOutputStream();
                    packet.write(type);
                    int length = 0;
                    for (int shift = 0, b = 128; (b & 128) != 0; shift += 7) { // the remaining length, 7 bits a byte
                        b = in.readUnsignedByte();
                        packet.write(b);
                        length |= (b & 127) << shift;
                    }
                    packet.write(in.readNBytes(length));
                    whileHolding(to);
                    if (silent || droppingPublishes && type >> 4 == 3) {
                        continue; // swallowed
                    }
                    packet.writeTo(out);
                }
            } catch (IOException | InterruptedException e) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    /** What a client sent waits while {@link #hold} says so, or until the broker's side is closed. */
    private void whileHolding(Socket to) throws InterruptedException {
        while (holding && !to.isClosed()) {
            Thread.sleep(5); // not a test's wait: the relay holds as long as the test says, no deadline
        }
    }

    /** One direction; with a delay, a second thread writes each chunk when it is due. */
    private void pump(Socket from, Socket to, boolean fromClient, boolean closeAfterFirst) {
        BlockingQueue<Chunk> late = delayNanos == 0 ? null : new LinkedBlockingQueue<>();
        daemon("proxy pump", () -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (fromClient) {
                        whileHolding(to);
                    }
                    if (silent) {
                        continue; // swallowed
                    }
                    if (late == null) {
                        out.write(buffer, 0, n);
                        if (closeAfterFirst) {
                            break; // closed below, both ways
                        }
                    } else {
                        late.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side went away
            } finally {
                if (late == null) {
                    closeQuietly(from);
                    closeQuietly(to);
                } else {
                    late.add(new Chunk(0, null));
                }
            }
        });
        if (late != null) {
            daemon("proxy delay", () -> {
                try {
                    OutputStream out = to.getOutputStream();
                    for (Chunk c; (c = late.take()).data() != null; ) {
                        for (long wait; (wait = c.dueNanos() - System.nanoTime()) > 0; ) {
                            LockSupport.parkNanos(wait); // the delay is the point: a long backhaul
                        }
                        out.write(c.data());
                    }
                } catch (IOException | InterruptedException e) {
                    // one side went away
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            });
        }
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
        cut();
    }
}
