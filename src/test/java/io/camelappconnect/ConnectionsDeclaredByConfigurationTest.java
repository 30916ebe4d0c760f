package io.camelappconnect;

import java.nio.charset.StandardCharsets;
import java.util.Properties;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.ConnectionSettings;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttConnection;
import io.camelappconnect.setup.BrokerConnections;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.MqttProbe;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connections are declared by configuration, any number of them, and can be added and removed while the app
 * runs: a third broker, declared as {@code mqtt.connection.backup.*}, carries routes of its own in both directions,
 * and one added at run time is used, then removed, while the built-in ones go on.
 */
@Timeout(120)
class ConnectionsDeclaredByConfigurationTest extends BridgeTestSupport {

    private static EmbeddedBroker third;

    @BeforeAll
    static void startThirdBroker() {
        third = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopThirdBroker() {
        third.stop();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("mqtt.connection.backup.url", third.url());
        p.setProperty("mqtt.connection.backup.will", "backup/" + GW + "/gone");
    }

    @Test
    void aDeclaredConnectionCarriesRoutesOfItsOwnBothWays() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:copy").to("backup:copies/" + GW);
                from("backup:commands/+").routeId("backup-commands").to("lns:lora/from-backup");
            }
        });
        awaitConnected("backup");
        assertEquals("backup", broker("backup").name());
        lns.subscribe("lora/from-backup");
        try (MqttProbe probe = new MqttProbe(third.url()).subscribe("copies/" + GW)) {
            template.sendBody("direct:copy", "hello");
            MqttProbe.Received copy = probe.next(5);
            assertNotNull(copy, "published on the third broker");
            assertEquals("hello", copy.text());

            probe.publish("commands/1", "to the LNS");
            MqttProbe.Received command = lns.next("lora/from-backup", 5);
            assertNotNull(command, "a message from the third broker reached the LNS");
            assertEquals("to the LNS", command.text());
        }
        assertTrue(embedded(third).connects().stream().anyMatch(c -> c.getClientID().equals("camel-app-connect/backup/" + GW)
                && c.isWillFlag() && c.getWillTopic().equals("backup/" + GW + "/gone")), "its client id and will");
    }

    @Test
    void aConnectionAddedWhileTheAppRunsIsUsedThenRemoved() throws Exception {
        AppConfig config = AppConfig.load(context.getPropertiesComponent());
        AppConfig.Connection extra = new AppConfig.Connection("extra", third.url(), "", "afterRoute",
                ConnectionSettings.read("extra.", (name, otherwise) -> name.equals("clean_session") ? "true" : otherwise));
        MqttConnection connection = MqttComponent.add(context, BrokerConnections.declared(config, extra, GW)).connection();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:extra").routeId("to-extra").to("extra:added/" + GW);
            }
        });
        awaitConnected("extra");
        try (MqttProbe probe = new MqttProbe(third.url()).subscribe("added/" + GW)) {
            template.sendBody("direct:extra", "first".getBytes(StandardCharsets.UTF_8));
            assertNotNull(probe.next(5), "published through the connection added at run time");

            context.getRouteController().stopRoute("to-extra");
            context.removeRoute("to-extra");
            MqttComponent.remove(context, "extra");
            assertFalse(connection.isConnected(), "removed: disconnected");
            assertNull(context.hasComponent("extra"), "removed: gone from the context");
        }
        // the built-in connections went on
        cloud.subscribe("lorawan/" + GW + "/+/+/up");
        lns.publish("lora/" + APP + "/00-80-00-ff-ff-00-00-31/up", uplink(APP, "00-80-00-ff-ff-00-00-31", 1));
        assertNotNull(cloud.next(5), "uplinks still flow");
    }
}
