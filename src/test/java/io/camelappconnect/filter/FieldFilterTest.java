package io.camelappconnect.filter;

import java.nio.charset.StandardCharsets;

import io.camelappconnect.message.BadMessage;
import io.camelappconnect.protocol.StepsOnAnExchange;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/filters.md: the uplink JSON's fields, as lora-mqtt-bridge's field filter keeps them. */
@Tag("step")
class FieldFilterTest {

    private static final String UPLINK = "{\"deveui\":\"00-11-22-33-44-55-66-77\",\"appeui\":\"aa-bb-cc-dd-ee-ff-00-11\","
            + "\"time\":\"2024-01-15T10:00:00Z\",\"port\":1,\"data\":\"SGVsbG8=\",\"rssi\":-85,\"lsnr\":7.50,\"freq\":868.1,"
            + "\"fcnt\":42}";

    @ParameterizedTest(name = "include [{0}] exclude [{1}] always [{2}]: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            deveui, port, data | ''               | deveui, time | deveui time port data
            port,data          | ''               | ''           | deveui appeui time port data
            ''                 | rssi, lsnr, freq | ''           | deveui appeui time port data fcnt
            ''                 | rssi, deveui     | ''           | deveui appeui time port data lsnr freq fcnt
            ''                 | rssi, deveui     | fcnt         | appeui time port data lsnr freq fcnt
            data, rssi         | rssi             | port         | port data
            nothere            | ''               | nothere      | ''
            """)
    void includeExcludeAndAlwaysAsLoraMqttBridgeHasThem(String include, String exclude, String always, String kept)
            throws Exception {
        Exchange exchange = StepsOnAnExchange.arrived("lora/x/y/up", UPLINK);
        FieldFilter.parse("app.filter.fields.", include, exclude, always).process(exchange);
        String out = exchange.getMessage().getBody(String.class);
        StringBuilder names = new StringBuilder();
        io.camelappconnect.message.Json.MAPPER.readTree(out).fieldNames()
                .forEachRemaining(n -> names.append(names.isEmpty() ? "" : " ").append(n));
        assertEquals(kept, names.toString(), "in the order they came: " + out);
        if (kept.contains("lsnr")) {
            assertTrue(out.contains("\"lsnr\":7.50"), "the values as they came: " + out);
        }
    }

    @Test
    void noIncludeAndNoExcludeLeavesTheBodyUntouched() throws Exception {
        Exchange exchange = StepsOnAnExchange.arrived("lora/x/y/up", "not even JSON");
        byte[] body = exchange.getMessage().getBody(byte[].class);
        FieldFilter filter = FieldFilter.parse("app.filter.fields.", "", "", "deveui");
        filter.process(exchange);
        assertTrue(filter.isEmpty());
        assertSame(body, exchange.getMessage().getBody(byte[].class));
    }

    @Test
    void aBodyThatIsNoJsonObjectIsBadInput() {
        Exchange exchange = StepsOnAnExchange.arrived("lora/x/y/up", "[1,2]");
        BadMessage e = assertThrows(BadMessage.class,
                () -> FieldFilter.parse("app.filter.fields.", "", "rssi", "").process(exchange));
        assertTrue(e.getMessage().contains("not a JSON object"), e.getMessage());
        assertEquals("[1,2]", new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0} = ''{1}'' refused")
    @CsvSource(delimiter = '|', textBlock = """
            include | port,,data   | an empty entry
            include | port,        | an empty entry
            exclude | rssi snr     | rssi snr
            always  | "deveui"     | "deveui"
            exclude | [rssi]       | [rssi]
            """)
    void badSyntaxIsRefusedNamingTheKey(String list, String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldFilter.parse(
                "mqtt.connection.backup.filter.fields.", list.equals("include") ? text : "",
                list.equals("exclude") ? text : "", list.equals("always") ? text : ""));
        assertTrue(e.getMessage().startsWith("mqtt.connection.backup.filter.fields." + list + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
