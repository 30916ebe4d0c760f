package io.camelappconnect;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.azure.SasToken;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.operations.Link;
import io.camelappconnect.support.AppAsConfigured;
import io.camelappconnect.support.AzureHubStandIn;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 12, a SAS token pasted into app.options.password (MultiTech's way): its expiry is a WARN at once when
 * less than a day is left, and once it has passed (the hub closes the connection and refuses the token) health is
 * DOWN naming the setting and what to do, while what the LNS sends meanwhile waits in the store.
 */
@Timeout(60)
class Behaviour12AzurePastedTokenTest extends AppAsConfigured {

    static final String DEVICE = "conduit-pasted";
    static final byte[] KEY = Base64.getDecoder().decode(TestSecrets.AZURE_DEVICE_KEY);
    static AzureHubStandIn hub;
    static EmbeddedBroker lnsBroker;
    static String token;

    final LogCapture log = LogCapture.capture();

    @BeforeAll
    static void brokers() {
        hub = AzureHubStandIn.start("127.0.0.1", DEVICE, KEY);
        lnsBroker = EmbeddedBroker.start();
        token = SasToken.make(SasToken.resourceUri("127.0.0.1", DEVICE), KEY, Instant.now().plusSeconds(8).getEpochSecond());
        TestSecrets.register("a pasted SAS token", token);
    }

    @AfterAll
    static void stopBrokers() {
        lnsBroker.stop();
        hub.close();
    }

    @Override
    protected void settings(Properties p) {
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
        p.setProperty("app.options.password", token);
        p.setProperty("app.options.server_cert", hub.caPem());
    }

    @Test
    void anExpiredPastedTokenIsHealthDownNamingItWhileUplinksWaitInTheStore() {
        assertTrue(log.await(10, "app.options.password: the SAS token expires at", "paste a new one before",
                "app.options.sharedAccessKey") != null, log.warnings().toString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> hub.connectionsAccepted() >= 1);

        await().atMost(20, TimeUnit.SECONDS).until(() -> hub.closures().stream().anyMatch(c -> c.contains("expired")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !cloudState().connected());
        String cause = cloudState().lastCause();
        assertTrue(cause.contains("app.options.password: the SAS token expired at"), cause);
        assertTrue(cause.contains("paste a new one, or set app.options.sharedAccessKey"), cause);
        assertFalse(cause.contains("sig="), "no token in health: " + cause);

        try (MqttProbe gateway = new MqttProbe(lnsBroker.url())) {
            String dev = "00-80-00-00-00-00-ee-01";
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
            await().atMost(10, TimeUnit.SECONDS).until(() -> cloudState().waiting() >= 1);
        }
        assertFalse(cloudState().connected(), "the hub refuses the token: " + hub.refusals());
        assertTrue(hub.refusals().stream().anyMatch(r -> r.contains("expired")), hub.refusals().toString());
    }

    private Link.State cloudState() {
        return context.getComponent("cloud", MqttComponent.class).connection().state();
    }
}
