package io.camelappconnect.operations;

/**
 * A way out of the gateway that health and metrics watch: a broker connection (MQTT), or the web server of the
 * HTTP mode. Each keeps what its peer can't take now on disk, and says whether its peer is there.
 */
public interface Link {

    /**
     * The link as health and metrics see it, read in one go.
     *
     * @param storeFault why its store can't be written (or read) now, naming store.dir; null while it can
     */
    record State(String name, String url, boolean connected, long connects, int waiting, long kept, long dropped,
                 String lastCause, String storeFault) {
    }

    /** A Camel component whose endpoints go through a link ({@code cloud:}, {@code lns:}, {@code server:}). */
    interface Source {
        Link link();
    }

    String name();

    /** Whether the peer is there: connected (MQTT), or the last request answered (HTTP). */
    boolean isConnected();

    /** Connects (or recoveries of the web server) so far, the first included. */
    long connects();

    State state();

    /**
     * Why this link's own thread no longer makes progress, so that it can't recover in-process (the {@link Watchdog}
     * then ends the app for its service manager to start again); null while it does.
     */
    default String stalled() {
        return null;
    }
}
