package io.camelappconnect;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.support.AppAsConfigured;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.HiveMq;
import io.camelappconnect.support.LogCapture;
import io.camelappconnect.support.TestSecrets;
import io.camelappconnect.support.UplinkRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 12, the connection: the bridge in AZURE mode with a device key, against HiveMQ CE whose authenticator
 * (the test's own) records each CONNECT of the device and checks its SAS token as the hub does (signature with the
 * device key, resource URI, expiry); azure.tokenTtl 10 s, so the token is renewed every 8.5 s while uplinks flow.
 */
@Timeout(120)
class Behaviour12AzureConnectionTest extends AppAsConfigured {

    static final String DEVICE = "gw-device-1";
    static final Hub HUB = new Hub();
    static EmbeddedBroker lnsBroker;
    static HiveMq hub;

    final LogCapture log = LogCapture.capture();

    @BeforeAll
    static void brokers() {
        lnsBroker = EmbeddedBroker.start();
        hub = HiveMq.start(HUB);
    }

    @AfterAll
    static void stopBrokers() {
        lnsBroker.stop();
        hub.stop();
    }

    @Override
    protected void settings(Properties p) {
        p.setProperty("app.url", hub.url());
        p.setProperty("lns.url", lnsBroker.url());
        p.setProperty("gateway.uuid", GW);
        p.setProperty("gateway.serial", "18581234");
        p.setProperty("gateway.euis", "00-80-00-00-d0-00-01-1a");
        p.setProperty("mqtt.reconnect.initialDelay", "100");
        p.setProperty("mqtt.reconnect.maxDelay", "500");
        p.setProperty("store.dir", storeDir().toString());
        p.setProperty("app.options.cloudService", "AZURE");
        p.setProperty("app.options.client_id", DEVICE);
        p.setProperty("app.options.sharedAccessKey", TestSecrets.AZURE_DEVICE_KEY);
        p.setProperty("app.options.keepalive", "3600");
        p.setProperty("azure.tokenTtl", "10");
    }

    @Test
    void theDeviceConnectsAsTheHubWantsWithTokensRenewedAndNoUplinkLost() throws Exception {
        int before = HUB.connects.size();
        await().atMost(10, TimeUnit.SECONDS).until(() -> HUB.connects.size() > before);
        Hub.Connect first = HUB.connects.get(before);
        assertEquals(DEVICE, first.clientId);
        assertEquals("127.0.0.1/" + DEVICE + "/?api-version=2021-04-12", first.username);
        assertFalse(first.will, "no will");
        assertEquals(1177, first.keepalive, "keepalive capped");
        assertNull(first.refused, first.refused);
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("app.url") && w.contains("not TLS")));
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("app.options.keepalive=3600")));

        String events = "devices/" + DEVICE + "/messages/events/#";
        try (UplinkRun run = new UplinkRun(lnsBroker.url(), hub.url(), events, 50, 10, 20)) {
            run.finish("2 token renewals", 30);
        }
        List<Hub.Connect> mine = HUB.connects.subList(before, HUB.connects.size());
        System.out.println("connects of the device: " + mine.size());
        assertTrue(mine.size() >= 3, "the first connect and 2 renewals at least: " + mine.size());
        mine.forEach(c -> assertNull(c.refused, c.refused));
        assertEquals(mine.size(), mine.stream().map(c -> c.password).distinct().count(), "a fresh token each connect");
        // the cloud's connection only: Moquette 0.17 (the LNS broker here) may drop a client whose SUBSCRIBE it reads
        // before its own CONNACK's listener marked it connected ("SUBSCRIBE received on already closed connection")
        assertTrue(log.warnings().stream().noneMatch(w -> w.contains("cloud: connection to") && w.contains("lost")),
                log.warnings().toString());
        assertTrue(context.getComponent("cloud", MqttComponent.class).connection().connects() >= 3);
    }

    /** The hub's side: what each CONNECT of the device carried, and why its token would be refused (null: taken). */
    static final class Hub implements ExtensionMain {
        record Connect(String clientId, String username, String password, boolean will, int keepalive, String refused) {
        }

        final List<Connect> connects = new CopyOnWriteArrayList<>();

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(in -> (SimpleAuthenticator) (auth, result) -> {
                ConnectPacket c = auth.getConnectPacket();
                if (!c.getClientId().equals(DEVICE)) { // the test's probes, on the service's side
                    result.authenticateSuccessfully();
                    return;
                }
                String password = c.getPassword().map(b -> StandardCharsets.UTF_8.decode(b.duplicate()).toString())
                        .orElse("");
                TestSecrets.register("a SAS token", password);
                String refused = refused(password);
                connects.add(new Connect(c.getClientId(), c.getUserName().orElse(""), password,
                        c.getWillPublish().isPresent(), c.getKeepAlive(), refused));
                if (refused == null) {
                    result.authenticateSuccessfully();
                } else {
                    result.failAuthentication(refused);
                }
            });
        }

        /** As the hub checks a device's token: its resource, its signature with the device key, its expiry. */
        static String refused(String token) {
            if (!token.startsWith("SharedAccessSignature ")) {
                return "not a SAS token";
            }
            String sr = null, sig = null, se = null;
            for (String field : token.substring("SharedAccessSignature ".length()).split("&")) {
                String[] kv = field.split("=", 2);
                switch (kv[0]) {
                    case "sr" -> sr = kv[1];
                    case "sig" -> sig = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                    case "se" -> se = kv[1];
                    default -> { }
                }
            }
            if (!("127.0.0.1%2Fdevices%2F" + DEVICE).equals(sr) || sig == null || se == null) {
                return "wrong resource or fields missing";
            }
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(Base64.getDecoder().decode(TestSecrets.AZURE_DEVICE_KEY), "HmacSHA256"));
                String expected = Base64.getEncoder().encodeToString(
                        mac.doFinal((sr + "\n" + se).getBytes(StandardCharsets.UTF_8)));
                if (!expected.equals(sig)) {
                    return "bad signature";
                }
            } catch (Exception e) {
                return e.toString();
            }
            return Instant.ofEpochSecond(Long.parseLong(se)).isAfter(Instant.now()) ? null : "expired";
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }
}
