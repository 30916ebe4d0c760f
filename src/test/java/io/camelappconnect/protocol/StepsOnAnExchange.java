package io.camelappconnect.protocol;

import java.nio.charset.StandardCharsets;

import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

/** A plain exchange as a connection hands one to a route: no route, no broker. */
public final class StepsOnAnExchange {

    /** Never started: it only makes exchanges. */
    private static final CamelContext CONTEXT = new DefaultCamelContext();

    private StepsOnAnExchange() {
    }

    public static Exchange arrived(String topic, String payload) {
        Exchange exchange = new DefaultExchange(CONTEXT);
        exchange.getMessage().setHeader(MqttComponent.TOPIC, topic);
        exchange.getMessage().setHeader(MqttComponent.RETAINED, false);
        exchange.getMessage().setBody(payload.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }
}
