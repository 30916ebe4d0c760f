package io.camelappconnect.support;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;

/**
 * The Azure IoT Hub stand-in takes and sends messages as the hub does (behaviour.md 12): only the device's topics,
 * D2C messages up to 256 KB, C2D messages and direct methods from the service side.
 */
class AzureHubStandInMessagesTest extends AzureHubStandInTestSupport {

    @Test
    void aPublishToATopicOutsideTheDevicesClosesTheConnection() throws Exception {
        connectForAnHour();
        CompletableFuture<Mqtt3Publish> sent = publish("lorawan/00-11/up", MqttQos.AT_LEAST_ONCE, false, new byte[1]);
        assertClosed(sent, "publish to lorawan/00-11/up");
    }

    @Test
    void aPublishAtQos2ClosesTheConnection() throws Exception {
        connectForAnHour();
        assertClosed(publish(EVENTS, MqttQos.EXACTLY_ONCE, false, new byte[1]), "QoS 2 on " + EVENTS);
    }

    @Test
    void aD2cMessageOver256KbClosesTheConnection() throws Exception {
        connectForAnHour();
        publish(EVENTS, MqttQos.AT_LEAST_ONCE, false, new byte[256 * 1024]).get();
        assertClosed(publish(EVENTS, MqttQos.AT_LEAST_ONCE, false, new byte[256 * 1024 + 1]), "over 256 KB");
        assertEquals(1, hub.d2c().size());
    }

    @Test
    void aRetainedPublishArrivesNotRetainedButMarkedAsTheHubMarksIt() throws Exception {
        connectForAnHour();
        publish(EVENTS + "event=up", MqttQos.AT_LEAST_ONCE, true, new byte[] {7}).get();
        assertEquals(List.of(Map.entry("event", "up"), Map.entry("mqtt-retain", "true")),
                List.copyOf(hub.awaitD2c(1, WAIT).get(0).properties().entrySet()));
        assertTrue(device.getState().isConnected());
    }

    @Test
    void aSubscriptionOutsideTheDevicesTopicsGetsASubackFailure() throws Exception {
        connectForAnHour();
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> device.subscribeWith().topicFilter(EVENTS + "#").callback(p -> { }).send().get());
        assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE),
                assertInstanceOf(Mqtt3SubAckException.class, refused.getCause()).getMqttMessage().getReturnCodes());
        assertEquals(List.of(EVENTS + "#"), hub.refusedSubscriptions());
        assertTrue(device.getState().isConnected());
    }

    @Test
    void aC2dMessageReachesTheSubscribedDevice() throws Exception {
        connectForAnHour();
        BlockingQueue<Mqtt3Publish> received = new LinkedBlockingQueue<>();
        assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1),
                device.subscribeWith().topicFilter("devices/" + DEVICE + "/messages/devicebound/#")
                        .qos(MqttQos.AT_LEAST_ONCE).callback(received::add).send().get().getReturnCodes());

        hub.sendC2d(Map.of("deveui", "00-80-00-00-00-00-ab-cd", "note", "a b"), "{\"data\":\"AQI=\"}".getBytes(StandardCharsets.UTF_8));

        Mqtt3Publish c2d = received.poll(WAIT.toSeconds(), SECONDS);
        assertNotNull(c2d, "no C2D message in " + WAIT);
        String prefix = "devices/" + DEVICE + "/messages/devicebound/";
        String topic = c2d.getTopic().toString();
        assertTrue(topic.startsWith(prefix), topic);
        Map<String, String> properties = PropertyBag.decodeBag(topic.substring(prefix.length()));
        assertEquals(List.of("$.mid", "$.to"), List.copyOf(properties.keySet()).subList(0, 2), "the hub's first");
        assertEquals(4, properties.size(), properties.toString());
        assertEquals("/devices/" + DEVICE + "/messages/deviceBound", properties.get("$.to"));
        assertEquals("00-80-00-00-00-00-ab-cd", properties.get("deveui"));
        assertEquals("a b", properties.get("note"));
        assertArrayEquals("{\"data\":\"AQI=\"}".getBytes(StandardCharsets.UTF_8), c2d.getPayloadAsBytes());
    }

    @Test
    void aMethodInvokedIsAnsweredWithTheDevicesStatusAndBody() throws Exception {
        assertEquals(404, hub.invokeMethod("down", "{}", WAIT).status(), "device not online");
        connectForAnHour();
        Pattern request = Pattern.compile("\\$iothub/methods/POST/([^/]+)/\\?\\$rid=(.+)");
        device.subscribeWith().topicFilter("$iothub/methods/POST/#").callback(p -> {
            Matcher m = request.matcher(p.getTopic().toString());
            if (m.matches() && !m.group(1).equals("slow")) {
                int status = m.group(1).equals("down") ? 200 : 403;
                String body = "{\"method\":\"" + m.group(1) + "\",\"got\":"
                        + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8) + "}";
                publish("$iothub/methods/res/" + status + "/?$rid=" + m.group(2), MqttQos.AT_MOST_ONCE, false,
                        body.getBytes(StandardCharsets.UTF_8));
            }
        }).send().get();

        assertEquals(new AzureHubStandIn.MethodResult(200, "{\"method\":\"down\",\"got\":{\"deveui\":\"00-11\"}}"),
                hub.invokeMethod("down", "{\"deveui\":\"00-11\"}", WAIT));
        assertEquals(403, hub.invokeMethod("log_req", "{}", WAIT).status());
        assertEquals(504, hub.invokeMethod("slow", "{}", Duration.ofSeconds(1)).status());
        assertEquals(0, hub.strayMethodAnswers());
        assertTrue(device.getState().isConnected());
    }
}
