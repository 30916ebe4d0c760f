package io.camelappconnect.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own MQTT 3.1.1 client: one connection, clean session, no keep-alive (loopback only), QoS 1
 * publishes and a QoS 1 subscription, and nothing else.
 * <p>
 * Why not Paho: measured on this 2-core machine, a Paho publisher and subscriber in one JVM spent about 90 µs of
 * CPU per uplink (three thread hand-offs and several unbuffered socket reads per packet each way) and topped out
 * near 19,000 uplinks/s through one broker, about the Mosquitto bridge's rate: the harness would have measured
 * itself, and taken CPU from the forwarder under test. This client buffers both ways: the publisher writes
 * PUBLISH packets into a buffer flushed every few packets or before it waits for a free slot, the reader acks a
 * batch of arrivals with one write once it has parsed everything already read.
 */
final class Mqtt implements AutoCloseable {

    /** What arrives: PUBLISH packets and PUBACKs of our publishes, on the connection's reader thread. */
    interface Handler {
        default void message(String topic, byte[] payload, int qos, long nanos) {
        }

        default void acked(int packetId) {
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final BufferedOutputStream out;
    private final Handler handler;
    private final CountDownLatch subscribed = new CountDownLatch(1);
    private volatile boolean closing;
    private volatile Exception failure;

    Mqtt(String url, String clientId, Handler handler) {
        this.handler = handler;
        try {
            int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            // CONNECT: protocol "MQTT" level 4, clean session, keep-alive 0 (off)
            byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
            byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0};
            synchronized (out) {
                header(0x10, variable.length + 2 + id.length);
                out.write(variable);
                string(id);
                out.flush();
            }
            int type = in.readUnsignedByte();
            int length = in.readUnsignedByte();
            byte[] connack = new byte[length];
            in.readFully(connack);
            if (type != 0x20 || connack[1] != 0) {
                throw new IOException("CONNACK refused: " + type + " / " + connack[1]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + url, e);
        }
        Thread reader = new Thread(this::read, "mqtt " + clientId);
        reader.setDaemon(true);
        reader.start();
    }

    /** Subscribes at QoS 1 and waits for the SUBACK. */
    void subscribe(String... filters) {
        try {
            synchronized (out) {
                int length = 2;
                for (String f : filters) {
                    length += 2 + f.getBytes(StandardCharsets.UTF_8).length + 1;
                }
                header(0x82, length);
                out.write(0);
                out.write(1); // packet id 1
                for (String f : filters) {
                    string(f.getBytes(StandardCharsets.UTF_8));
                    out.write(1);
                }
                out.flush();
            }
            if (!subscribed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no SUBACK in 10 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A QoS 1 PUBLISH into the buffer; on the wire at the next {@link #flush()} (or when the buffer is full). */
    void publish(byte[] topic, byte[] payload, int packetId) {
        try {
            synchronized (out) {
                header(0x32, 2 + topic.length + 2 + payload.length);
                string(topic);
                out.write(packetId >> 8);
                out.write(packetId & 0xff);
                out.write(payload);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("publish failed", e);
        }
    }

    void flush() {
        try {
            synchronized (out) {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("publish failed", e);
        }
    }

    private void read() {
        try {
            while (true) {
                int type = in.readUnsignedByte();
                int length = 0;
                for (int shift = 0; ; shift += 7) {
                    int b = in.readUnsignedByte();
                    length |= (b & 0x7f) << shift;
                    if ((b & 0x80) == 0) {
                        break;
                    }
                }
                byte[] body = new byte[length];
                in.readFully(body);
                long now = System.nanoTime();
                switch (type >> 4) {
                    case 3 -> arrived(type, body, now);
                    case 4 -> handler.acked(((body[0] & 0xff) << 8) | (body[1] & 0xff));
                    case 9 -> subscribed.countDown();
                    default -> { } // PINGRESP and the like: nothing to do
                }
                if (in.available() == 0) {
                    flush(); // the PUBACKs of everything read so far, in one write
                }
            }
        } catch (IOException | UncheckedIOException e) {
            failure = e;
            if (!closing) {
                System.err.println("bench MQTT connection lost: " + e);
            }
        }
    }

    /** Throws if the connection is gone (a publisher waiting for PUBACKs would otherwise wait forever). */
    void check() {
        if (failure != null) {
            throw new IllegalStateException("MQTT connection lost: " + failure, failure);
        }
    }

    /** A PUBLISH: handed over, and acked (QoS 1) with the next flush. */
    private void arrived(int type, byte[] body, long now) throws IOException {
        int topicLength = ((body[0] & 0xff) << 8) | (body[1] & 0xff);
        String topic = new String(body, 2, topicLength, StandardCharsets.UTF_8);
        int at = 2 + topicLength;
        int qos = (type >> 1) & 3;
        int packetId = 0;
        if (qos > 0) {
            packetId = ((body[at] & 0xff) << 8) | (body[at + 1] & 0xff);
            at += 2;
        }
        byte[] payload = new byte[body.length - at];
        System.arraycopy(body, at, payload, 0, payload.length);
        handler.message(topic, payload, qos, now);
        if (qos == 1) {
            synchronized (out) {
                out.write(0x40);
                out.write(2);
                out.write(packetId >> 8);
                out.write(packetId & 0xff);
            }
        }
    }

    private void header(int type, int remaining) throws IOException {
        out.write(type);
        do {
            int b = remaining & 0x7f;
            remaining >>>= 7;
            out.write(remaining > 0 ? b | 0x80 : b);
        } while (remaining > 0);
    }

    private void string(byte[] s) throws IOException {
        out.write(s.length >> 8);
        out.write(s.length & 0xff);
        out.write(s);
    }

    @Override
    public void close() {
        closing = true;
        try {
            synchronized (out) {
                out.write(0xe0); // DISCONNECT
                out.write(0);
                out.flush();
            }
        } catch (IOException e) {
            // already gone
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
