package io.camelappconnect.support;

/** A real broker on a loopback port that a test can stop and start again. */
public interface TestBroker extends AutoCloseable {

    int port();

    default String url() {
        return "tcp://127.0.0.1:" + port();
    }

    void stop();

    /** Starts it again on the same port, with nothing retained and no sessions. */
    void restart();

    @Override
    default void close() {
        stop();
    }
}
