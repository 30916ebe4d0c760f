package io.camelappconnect.mqtt;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Plain TCP sockets for Paho with a read buffer. Paho reads each packet straight from the socket: an
 * {@code available()}, the first byte, the length bytes, then the rest, four or five system calls a message. With a
 * buffer one read takes in as many messages as have come (measured: a fifth less CPU per uplink at saturation).
 * Not for TLS: an SSL socket buffers its records itself.
 */
public final class BufferedSockets extends SocketFactory {

    private static final int BUFFER = 16 * 1024;

    /** The only one Paho calls: it connects the socket itself, with its connection timeout. */
    @Override
    public Socket createSocket() {
        return new Socket() {
            private InputStream in;

            @Override
            public synchronized InputStream getInputStream() throws IOException {
                if (in == null) {
                    in = new Buffered(super.getInputStream());
                }
                return in;
            }
        };
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return bound(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return bound(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connected(InetSocketAddress to) throws IOException {
        Socket socket = createSocket();
        socket.connect(to);
        return socket;
    }

    private Socket bound(InetSocketAddress local, InetSocketAddress to) throws IOException {
        Socket socket = createSocket();
        socket.bind(local);
        socket.connect(to);
        return socket;
    }

    private static final class Buffered extends BufferedInputStream {
        Buffered(InputStream in) {
            super(in, BUFFER);
        }

        /** What is buffered, without the system call BufferedInputStream makes for the socket's count each time. */
        @Override
        public synchronized int available() throws IOException {
            int buffered = count - pos;
            return buffered > 0 ? buffered : super.available();
        }
    }
}
