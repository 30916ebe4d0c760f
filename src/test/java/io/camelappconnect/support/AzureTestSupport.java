package io.camelappconnect.support;

import java.util.Base64;
import java.util.Properties;

import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.operations.Link;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import static io.camelappconnect.support.BridgeTestSupport.GW;

/**
 * The bridge in AZURE mode (behaviour.md 12) as device {@link #DEVICE} of the hub stand-in (its rules enforced), with
 * a SAS token made from the device key, the LNS on Moquette. A test's own settings go on top ({@link #properties}).
 */
public abstract class AzureTestSupport extends AppAsConfigured {

    public static final String DEVICE = "conduit-18581234";
    protected static final byte[] KEY = Base64.getDecoder().decode(TestSecrets.AZURE_DEVICE_KEY);

    protected static AzureHubStandIn hub;
    protected static EmbeddedBroker lnsBroker;

    @BeforeAll
    static void hubAndLns() {
        hub = AzureHubStandIn.start("127.0.0.1", DEVICE, KEY);
        lnsBroker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopHubAndLns() {
        lnsBroker.stop();
        hub.close();
    }

    @Override
    protected final void settings(Properties p) {
        p.setProperty("app.url", hub.url());
        p.setProperty("lns.url", lnsBroker.url());
        p.setProperty("gateway.uuid", GW);
        p.setProperty("gateway.serial", "18581234");
        p.setProperty("gateway.euis", "00-80-00-00-d0-00-01-1a");
        p.setProperty("store.dir", storeDir().toString());
        p.setProperty("mqtt.reconnect.initialDelay", "100");
        p.setProperty("mqtt.reconnect.maxDelay", "500");
        p.setProperty("app.options.cloudService", "AZURE");
        p.setProperty("app.options.client_id", DEVICE);
        p.setProperty("app.options.sharedAccessKey", TestSecrets.AZURE_DEVICE_KEY);
        p.setProperty("app.options.server_cert", hub.caPem());
        properties(p);
    }

    /** This test's settings on top of those above. */
    protected void properties(Properties p) {
    }

    /** The cloud connection's state, as health reads it. */
    protected Link.State cloud() {
        return context.getComponent("cloud", MqttComponent.class).connection().state();
    }
}
