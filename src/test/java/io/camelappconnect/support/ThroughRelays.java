package io.camelappconnect.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Connects a {@link BridgeTestSupport} class's bridge to each broker through a {@link TcpProxy}
 * ({@code toCloud}, {@code toLns}) that a test can cut, refuse or hold, as a backhaul does; the test's own probes
 * connect directly.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ThroughRelays {
}
