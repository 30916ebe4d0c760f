package io.camelappconnect.mqtt;

/**
 * A message that could be neither sent nor kept: the store can't be written and as many messages as memory holds
 * wait already. It must not be acknowledged to its sender: {@link MqttConsumer} runs it again after a pause.
 */
public final class NowhereSafe extends RuntimeException {

    public NowhereSafe(String reason) {
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
}
