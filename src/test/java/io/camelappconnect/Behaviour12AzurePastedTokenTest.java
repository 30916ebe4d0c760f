package io.camelappconnect;

import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.azure.SasToken;
import io.camelappconnect.support.AzureTestSupport;
import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.APP;
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
class Behaviour12AzurePastedTokenTest extends AzureTestSupport {

    static String token;

    final LogCapture log = LogCapture.capture();

    @BeforeAll
    static void aTokenValidFor8Seconds() {
        token = SasToken.make(SasToken.resourceUri("127.0.0.1", DEVICE), KEY, Instant.now().plusSeconds(8).getEpochSecond());
        TestSecrets.register("a pasted SAS token", token);
    }


    @Override
    protected void properties(Properties p) {
        p.setProperty("app.options.sharedAccessKey", "");
        p.setProperty("app.options.password", token);
    }

    @Test
    void anExpiredPastedTokenIsHealthDownNamingItWhileUplinksWaitInTheStore() {
        assertTrue(log.await(10, "app.options.password: the SAS token expires at", "paste a new one before",
                "app.options.sharedAccessKey") != null, log.warnings().toString());
        await().atMost(10, TimeUnit.SECONDS).until(() -> hub.connectionsAccepted() >= 1);

        await().atMost(20, TimeUnit.SECONDS).until(() -> hub.closures().stream().anyMatch(c -> c.contains("expired")));
        await().atMost(10, TimeUnit.SECONDS).until(() -> !cloud().connected());
        String cause = cloud().lastCause();
        assertTrue(cause.contains("app.options.password: the SAS token expired at"), cause);
        assertTrue(cause.contains("paste a new one, or set app.options.sharedAccessKey"), cause);
        assertFalse(cause.contains("sig="), "no token in health: " + cause);

        try (MqttProbe gateway = new MqttProbe(lnsBroker.url())) {
            String dev = "00-80-00-00-00-00-ee-01";
            gateway.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));
            await().atMost(10, TimeUnit.SECONDS).until(() -> cloud().waiting() >= 1);
        }
        assertFalse(cloud().connected(), "the hub refuses the token: " + hub.refusals());
        assertTrue(hub.refusals().stream().anyMatch(r -> r.contains("expired")), hub.refusals().toString());
    }
}
