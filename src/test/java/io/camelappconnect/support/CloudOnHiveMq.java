package io.camelappconnect.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Runs a {@link BridgeTestSupport} class with HiveMQ Community Edition as the cloud broker (Mosquitto the LNS's). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface CloudOnHiveMq {
}
