package io.camelappconnect;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.Http;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * management.enabled: /observe/health is DOWN within seconds of the cloud broker's kill -9 and UP again after it
 * returns; /observe/metrics counts what went through. Real Mosquitto, killed for real.
 */
@WithMosquitto
class HealthAndCountersTest extends BridgeTestSupport {

    private static final int PORT = EmbeddedBroker.freePort();

    @Override
    protected void properties(Properties p) {
        p.setProperty("management.enabled", "true");
        p.setProperty("management.port", String.valueOf(PORT));
        p.setProperty("app.requestOptions.lora", "false");
    }

    @Test
    void healthGoesDownWhenTheCloudBrokerIsKilledAndUpWhenItReturns() throws Exception {
        HttpResponse<String> up = Http.get(PORT, "/observe/health");
        assertEquals(200, up.statusCode(), up.body());

        ((Mosquitto) cloudBroker).kill();
        long killed = System.nanoTime();
        HttpResponse<String> down = Http.awaitStatus(PORT, "/observe/health", 503, 10);
        double downAfter = (System.nanoTime() - killed) / 1e9;
        assertEquals(503, down.statusCode(), down.body());
        System.out.printf("HEALTH DOWN %.2f s after the kill: %s%n", downAfter, down.body());
        assertTrue(downAfter < 5, "DOWN only after " + downAfter + " s");
        // which broker, and why: lost, or (a retry already) refused
        HttpResponse<String> detail = Http.get(PORT, "/observe/health?data=true");
        assertTrue(Pattern.compile("\"message\":\"cloud: (connection|cannot connect)").matcher(detail.body()).find(),
                detail.body());
        assertTrue(detail.body().contains("\"cloud.connected\":false") && detail.body().contains("\"lns.connected\":true"),
                detail.body());

        cloudBroker.restart();
        long restarted = System.nanoTime();
        HttpResponse<String> back = Http.awaitStatus(PORT, "/observe/health", 200, 15);
        assertEquals(200, back.statusCode(), back.body());
        System.out.printf("HEALTH UP %.2f s after the restart%n", (System.nanoTime() - restarted) / 1e9);
        // Paho says connected a moment before the connect is counted
        awaitMetric("app_reconnects_total{broker=\"cloud\"}", 1);
        assertEquals(0, metric("app_reconnects_total{broker=\"lns\"}"));
    }

    @Test
    void metricsCountUplinksCommandsRequestsAndBadInput() throws Exception {
        cloud.subscribe("lorawan/" + GW + "/#");
        lns.subscribe("lora/#");
        for (int fcnt = 1; fcnt <= 3; fcnt++) {
            lns.publish("lora/" + APP + "/00-80-00-ff-ff-00-00-01/up", uplink(APP, "00-80-00-ff-ff-00-00-01", fcnt));
        }
        lns.publish("lora/00-80-00-ff-ff-00-00-01/up", "not json");
        cloud.publish("lorawan/" + GW + "/down", "{\"deveui\":\"00-80-00-ff-ff-00-00-01\",\"data\":\"AQ==\"}");
        cloud.publish("lorawan/" + GW + "/lora_req", "{\"command\":\"device count\",\"rid\":1}");
        assertNotNull(lns.next("lora/00-80-00-ff-ff-00-00-01/down", 5));
        assertNotNull(cloud.next("lorawan/" + GW + "/lora_res", 5));

        // each LNS topic has a worker of its own: nothing orders them with the answers above
        awaitMetric("app_forwarded_total{event=\"up\"}", 3);
        awaitMetric("app_bad_input_total", 1);
        assertEquals(1, metric("app_commands_total{command=\"down\"}"));
        assertEquals(1, metric("app_requests_total{outcome=\"refused\",type=\"lora\"}")); // lora requests are off
        assertEquals(0, metric("app_requests_total{outcome=\"answered\",type=\"lora\"}"));
        assertEquals(0, metric("app_kept_total{broker=\"lns\"}")); // nothing had to wait for the LNS
        assertEquals(0, metric("app_waiting{broker=\"cloud\"}"));
        assertEquals(1, metric("app_connected{broker=\"cloud\"}"));
    }

    private void awaitMetric(String series, double value) {
        await().alias(series + " at " + value).atMost(5, TimeUnit.SECONDS).pollDelay(Duration.ZERO)
                .pollInterval(50, TimeUnit.MILLISECONDS)
                .untilAsserted(() -> assertEquals(value, metric(series), series));
    }

    /** One series' value from the Prometheus text, labels in the order Prometheus writes them (by name). */
    private double metric(String series) throws IOException, InterruptedException {
        String body = Http.get(PORT, "/observe/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : fail(series + " not in /observe/metrics:\n" + body);
    }
}
