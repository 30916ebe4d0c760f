package io.camelappconnect.mqtt;

import io.camelappconnect.mqtt.BrokerUrl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 3: the URL schemes mPower takes, and their default ports. */
@Tag("step")
class BrokerUrlTest {

    @ParameterizedTest
    @CsvSource({
            "mqtt://broker.example.com, tcp://broker.example.com:1883",
            "tcp://10.0.0.1:1884, tcp://10.0.0.1:1884",
            "mqtts://test.mosquitto.org:8883, ssl://test.mosquitto.org:8883",
            "ssl://broker.example.com, ssl://broker.example.com:8883",
            "MQTTS://Broker.example.com, ssl://Broker.example.com:8883",
            "ws://broker.example.com:8080/mqtt, ws://broker.example.com:8080/mqtt",
            "ws://broker.example.com, ws://broker.example.com:80",
            "wss://broker.example.com/mqtt, wss://broker.example.com:443/mqtt"})
    void schemesAndDefaultPorts(String url, String canonical) {
        assertEquals(canonical, BrokerUrl.parse("app.url", url).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "broker.example.com", "http://broker.example.com", "mqtt://", "mqtt://bro ker"})
    void unusableUrlsAreRefusedNamingTheKey(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerUrl.parse("app.url", url));
        assertTrue(e.getMessage().startsWith("app.url"), e.getMessage());
    }
}
