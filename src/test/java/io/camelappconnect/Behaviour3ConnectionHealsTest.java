package io.camelappconnect;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.MqttProbe;
import io.camelappconnect.support.UplinkRun;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * behaviour.md 3: a connection whose state could disagree with the broker's heals itself, and health says DOWN, with
 * the cause, for as long as it can't deliver. The app is its own JVM between real Mosquittos.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class Behaviour3ConnectionHealsTest extends AppProcessTestSupport {

    private final int management = EmbeddedBroker.freePort();

    /**
     * Issue 20 #1: a connection lost in the moment after its CONNACK, before the bridge marked it up, was marked up
     * dead, and nothing reconnected it (health UP, nothing delivered). Here every connection of a burst is closed
     * right after its CONNACK, at the start and at each of 5 cuts, while uplinks flow.
     */
    @Test
    void aLinkLostRightAfterItsConnackIsConnectedAgainAndLosesNoUplink() throws Exception {
        backhaul.closeAfterConnack(5);
        try (AppProcess app = startApp(Map.of("management.enabled", "true", "management.port",
                String.valueOf(management)))) {
            app.await(30, "lns: connected to");
            try (UplinkRun run = new UplinkRun(lnsBroker.url(), cloudBroker.url(), 50, 10, 12)) {
                for (int cut = 1; cut <= 5; cut++) {
                    Thread.sleep(2000); // a sleep: the fault's pace, a cut every 2 s
                    backhaul.closeAfterConnack(3);
                    backhaul.cut();
                }
                run.finish("every connection of a burst closed right after its CONNACK, 6 bursts, 50 uplinks/s", 60);
            }
            assertEquals(200, Http.awaitStatus(management, "/observe/health", 200, 10).statusCode(),
                    "UP once a connection stays");
            long lost = app.output().lines().filter(l -> l.contains("cloud: connection to") && l.contains("lost"))
                    .count();
            System.out.println("CONNACK-THEN-CLOSE: " + lost + " connections lost after their CONNACK were seen and"
                    + " made anew");
        }
    }

    /**
     * Issue 20, "a connection whose state disagrees with reality heals itself": a link that answers pings but takes no
     * publish (here a relay dropping them) kept the client up for ever, its publishes waiting, health UP. Now the
     * oldest publish unacknowledged for a keepalive tears the connection down, each new one gets the same test, and
     * health is DOWN saying so until a PUBACK comes; then all arrive.
     */
    @Test
    void aLinkThatAnswersPingsButTakesNoPublishIsMadeAnewAndHealthSaysSo() throws Exception {
        try (AppProcess app = startApp(Map.of("management.enabled", "true", "management.port",
                String.valueOf(management), "app.options.keepalive", "2", "mqtt.connectTimeout", "2000"))) {
            app.await(30, "cloud: connected to");
            app.await(10, "lns: connected to");
            backhaul.dropPublishes(true);
            try (UplinkRun run = new UplinkRun(lnsBroker.url(), cloudBroker.url(), 20, 10, 10)) {
                app.await(15, "no PUBACK in 2 s although connected");
                String down = await().alias("health DOWN while nothing is delivered").atMost(15, TimeUnit.SECONDS)
                        .pollInterval(200, TimeUnit.MILLISECONDS)
                        .until(() -> Http.get(management, "/observe/health?data=true"),
                                r -> r.statusCode() == 503 && r.body().contains("no PUBACK")).body();
                System.out.println("HEALTH while the link takes no publish: " + down.replaceAll("\\s+", " "));
                backhaul.dropPublishes(false);
                run.finish("a link that answers pings but takes no publish for some 5 s, 20 uplinks/s", 60);
            }
            assertEquals(200, Http.awaitStatus(management, "/observe/health", 200, 10).statusCode(),
                    "UP once a PUBACK came");
            System.out.println("PUBLISHES DROPPED: " + app.count("no PUBACK in 2 s although connected")
                    + " connections made anew");
        } finally {
            backhaul.dropPublishes(false);
        }
    }

    /**
     * Issue 20 #13: a SUBSCRIBE the broker refuses (SUBACK failure: its ACL) was never tried again while connected, and
     * health said UP with no downlink able to come. Now: DOWN naming the filter, tried again with backoff, and once
     * the broker allows it the subscription is held and a downlink comes through. (Mosquitto 2.0 grants a SUBSCRIBE
     * its ACL denies and filters at delivery; Moquette answers a SUBACK failure.)
     */
    @Test
    void aRefusedSubscriptionIsDownInHealthAndTriedAgainUntilTheBrokerGrantsIt() throws Exception {
        String down = "lorawan/" + GW + "/down";
        AtomicBoolean downAllowed = new AtomicBoolean();
        EmbeddedBroker cloud = EmbeddedBroker.start(new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                return true;
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                return downAllowed.get() || !topic.toString().equals(down);
            }
        });
        try (AppProcess app = startApp(Map.of("app.url", cloud.url(), "management.enabled", "true",
                "management.port", String.valueOf(management)));
             MqttProbe lns = new MqttProbe(lnsBroker.url()).subscribe("lora/+/down");
             MqttProbe cloudSide = new MqttProbe(cloud.url())) {
            app.await(30, "the broker refused the subscription to " + down);
            JsonNode health = await().atMost(10, TimeUnit.SECONDS).until(
                    () -> Json.MAPPER.readTree(Http.get(management, "/observe/health?data=true").body()),
                    h -> h.path("checks").path(0).path("message").asText().replace("\\/", "/") // Camel writes \/
                            .contains("refused the subscription to " + down));
            assertEquals("DOWN", health.path("status").asText(), health.toString());

            downAllowed.set(true);
            assertEquals(200, Http.awaitStatus(management, "/observe/health", 200, 20).statusCode(),
                    "UP once the broker granted it");
            cloudSide.publish(down, "{\"deveui\":\"00-80-00-ff-ff-00-00-01\",\"data\":\"QA==\",\"port\":1}");
            MqttProbe.Received downlink = lns.next(10);
            assertNotNull(downlink, "the downlink through the subscription granted at last");
            assertEquals("lora/00-80-00-ff-ff-00-00-01/down", downlink.topic());
        } finally {
            cloud.stop();
        }
    }
}
