package io.camelappconnect.operations;

import java.util.List;

import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttConnection;
import org.apache.camel.CamelContext;

/** The broker connections a context has now, by name. */
final class Connections {

    private Connections() {
    }

    static List<MqttConnection> of(CamelContext context) {
        return context.getComponentNames().stream().sorted()
                .map(name -> context.hasComponent(name))
                .filter(c -> c instanceof MqttComponent)
                .map(c -> ((MqttComponent) c).connection())
                .toList();
    }

    static List<MqttConnection.State> states(CamelContext context) {
        return of(context).stream().map(MqttConnection::state).toList();
    }
}
