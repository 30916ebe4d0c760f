package io.camelappconnect.support;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;

/**
 * The Azure IoT Hub stand-in takes a CONNECT as the hub does (behaviour.md 12): the device's client id, username and
 * a SAS token signed with its key and not expired, and closes the connection when the token expires.
 */
class AzureHubStandInConnectTest extends AzureHubStandInTestSupport {

    @Test
    void aGoodTokenConnectsAndAD2cMessageArrivesWithItsPropertiesDecoded() throws Exception {
        Instant expiry = Instant.now().plusSeconds(3600);
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, expiry.getEpochSecond())).get();

        String bag = "event=up&deveui=00-80-00-00-00-00-ab-cd&%24.ct=application%2Fjson&note=a%20b%26c";
        publish(EVENTS + bag, MqttQos.AT_LEAST_ONCE, false, "{\"port\":1}".getBytes(StandardCharsets.UTF_8)).get();

        AzureHubStandIn.D2c message = hub.awaitD2c(1, WAIT).get(0);
        assertEquals(EVENTS + bag, message.topic());
        assertEquals(List.of(Map.entry("event", "up"), Map.entry("deveui", "00-80-00-00-00-00-ab-cd"),
                Map.entry("$.ct", "application/json"), Map.entry("note", "a b&c")),
                List.copyOf(message.properties().entrySet()));
        assertEquals("{\"port\":1}", message.text());
        assertEquals(1, hub.connectionsAccepted());
        assertEquals(List.of(new AzureHubStandIn.Token(Instant.ofEpochSecond(expiry.getEpochSecond()), true)),
                hub.tokens());
        assertEquals(List.of(), hub.closures());
    }

    @Test
    void aTokenSignedOverTheRawResourceUriAsAzuresJavaSdkMakesItConnectsToo() throws Exception {
        long se = Instant.now().plusSeconds(600).getEpochSecond();
        String sig = signature(KEY, RESOURCE + "\n" + se);
        connect(DEVICE, USERNAME, "SharedAccessSignature sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&se=" + se + "&sr=" + RESOURCE).get();
        assertEquals(1, hub.connectionsAccepted());
    }

    @Test
    void aWrongKeyIsRefused() {
        byte[] otherKey = KEY.clone();
        otherKey[0] ^= 1;
        assertRefused(DEVICE, USERNAME, token(RESOURCE, otherKey, Instant.now().plusSeconds(600).getEpochSecond()),
                "signature does not match");
    }

    @Test
    void aTokenForAnotherResourceIsRefused() {
        assertRefused(DEVICE, USERNAME, token(HUB + "/devices/another", KEY,
                Instant.now().plusSeconds(600).getEpochSecond()), "for resource '" + HUB + "/devices/another'");
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertRefused(DEVICE, USERNAME, token(RESOURCE, KEY, Instant.now().minusSeconds(5).getEpochSecond()),
                "expired");
        assertEquals(1, hub.tokens().size());
        assertFalse(hub.tokens().get(0).accepted());
    }

    @Test
    void aClientIdOrUsernameOtherThanTheDevicesIsRefused() {
        String token = token(RESOURCE, KEY, Instant.now().plusSeconds(600).getEpochSecond());
        assertRefused("another", USERNAME, token, "client id 'another'");
        assertRefused(DEVICE, HUB + "/" + DEVICE, token, "username");
    }

    @Test
    void aTokenThatExpiresTwoSecondsAfterConnectGetsTheConnectionClosedAtItsExpiry() throws Exception {
        long se = Instant.now().plusSeconds(3).getEpochSecond();
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, se)).get();
        await().atMost(WAIT).until(() -> disconnectedAt.get() != 0);
        assertTrue(disconnectedAt.get() >= se * 1000, "closed " + (se * 1000 - disconnectedAt.get()) + " ms early");
        await().atMost(WAIT).until(() -> hub.closures().equals(List.of("token expired at " + Instant.ofEpochSecond(se))));
    }

    @Test
    void aReconnectWithAFreshTokenIsNotClosedAtTheOldTokensExpiry() throws Exception {
        long se = Instant.now().plusSeconds(3).getEpochSecond();
        connect(DEVICE, USERNAME, token(RESOURCE, KEY, se)).get();
        device.disconnect().get(10, SECONDS);
        connectForAnHour();
        Duration pastOldExpiry = Duration.ofMillis(se * 1000 + 1000 - System.currentTimeMillis());
        await().during(pastOldExpiry).atMost(pastOldExpiry.plus(WAIT)).until(() -> device.getState().isConnected());
        assertEquals(2, hub.connectionsAccepted());
        assertEquals(List.of(), hub.closures());
    }
}
