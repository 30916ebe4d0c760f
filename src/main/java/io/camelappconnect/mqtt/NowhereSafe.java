package io.camelappconnect.mqtt;

import io.camelappconnect.store.MessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message that could be neither sent nor kept: the store can't be written and as many messages as memory holds
 * wait already. It must not be acknowledged to its sender: {@link MqttConsumer} runs it again after a pause.
 */
public final class NowhereSafe extends RuntimeException {

    private NowhereSafe(String reason) {
        super(reason, null, false, false); // a state, not a bug: no stack trace
    }

    /** Whether {@code e} is one, or was caused by one. */
    public static boolean in(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NowhereSafe) {
                return true;
            }
        }
        return false;
    }

    /**
     * What memory may hold for one link while its disk refuses messages: {@link MessageStore#MAX_HELD} messages,
     * {@link MessageStore#MAX_HELD_BYTES}. One WARN when it is full; each message then is nowhere safe until some
     * leave (the broker or the disk took them).
     */
    public static final class Bound {
        private static final Logger LOG = LoggerFactory.getLogger(NowhereSafe.class);
        private final String name;
        private boolean full;

        public Bound(String name) {
            this.name = name;
        }

        /** @throws NowhereSafe when {@code count} messages of {@code bytes} leave no room for {@code more} bytes */
        public void check(int count, long bytes, int more, String fault) {
            if (count < MessageStore.MAX_HELD && bytes + more <= MessageStore.MAX_HELD_BYTES) {
                full = false;
                return;
            }
            String why = name + ": " + fault + "; and " + count + " messages wait in memory already";
            if (!full) {
                full = true;
                LOG.warn("{}: what comes now is left unacknowledged with its sender, which sends it again, until the"
                        + " broker or the disk takes some", why);
            }
            throw new NowhereSafe(why);
        }
    }
}
