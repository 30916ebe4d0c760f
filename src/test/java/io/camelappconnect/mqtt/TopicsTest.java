package io.camelappconnect.mqtt;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A message goes to the subscriptions whose filter a broker would match it with (MQTT 3.1.1, 4.7). */
@Tag("step")
class TopicsTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "lora/+/+/up, lora/8b-6c/00-80/up, true",
            "lora/+/+/up, lora/00-80/up, false",
            "lora/+/up, lora/00-80/up, true",
            "lora/+/up, lora/8b-6c/00-80/up, false",
            "lora/+/joined, lora/00-80/joined, true",
            "lorawan/gw/down, lorawan/gw/down, true",
            "lorawan/gw/down, lorawan/gw/downs, false",
            "lorawan/gw/down, lorawan/gw, false",
            "a/#, a, true",
            "a/#, a/b/c, true",
            "a/#, ab, false",
            "#, a/b, true",
            "+, a, true",
            "+, a/b, false",
            "a/+, a/, true",
            "+/+, /a, true",
            "a/+/c, a/b/d, false"})
    void matchesAsABrokerDoes(String filter, String topic, boolean matches) {
        assertEquals(matches, Topics.matches(filter, topic));
    }
}
