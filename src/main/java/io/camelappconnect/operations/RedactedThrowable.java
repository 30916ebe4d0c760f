package io.camelappconnect.operations;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * logback's {@code %ex} with {@link Redact#text} applied: a stack trace's messages are a library's words too, and
 * %msg's redaction ({@link RedactedMessage}) does not reach them (logback.xml).
 */
public final class RedactedThrowable extends ThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy throwable) {
        return Redact.text(super.throwableProxyToString(throwable));
    }
}
