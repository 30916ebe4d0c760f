package io.camelappconnect.message;

/**
 * Input we refuse: the route's error handler logs it as one WARN naming the topic and this message,
 * and the route goes on with the next message.
 */
public class BadMessage extends RuntimeException {

    public BadMessage(String reason) {
        super(reason, null, false, false); // no stack trace: this is the sender's mistake, not ours
    }
}
