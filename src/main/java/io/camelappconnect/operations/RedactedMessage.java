package io.camelappconnect.operations;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** logback's {@code %msg} with {@link Redact#text} applied: the last resort for a library's line (logback.xml). */
public final class RedactedMessage extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return Redact.text(super.convert(event));
    }
}
