package io.camelappconnect.azure;

import io.camelappconnect.message.BadMessage;
import io.camelappconnect.request.RequestError;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.camelappconnect.protocol.StepsOnAnExchange.arrived;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 12: what a direct method's topic and a C2D message's property bag say, as the steps read them. */
@Tag("step")
class DirectMethodAndC2dTest {

    private static final String C2D = "devices/conduit-1/messages/devicebound/%24.mid=1&%24.to=%2Fdevices%2Fconduit-1";

    @ParameterizedTest(name = "{0}")
    @CsvSource({"down, down, down", "downlink, down, down", "clear, clear, clear", "lora_req, lora_req, lora",
            "api_req, api_req, api", "log_req, log_req, log"})
    void aMethodGoesToItsRouteWithItsRid(String name, String route, String kind) {
        Exchange exchange = arrived("$iothub/methods/POST/" + name + "/?$rid=2a-f_0", "{}");
        new DirectMethod().process(exchange);
        assertEquals(route, exchange.getMessage().getHeader(DirectMethod.METHOD));
        assertEquals("2a-f_0", exchange.getMessage().getHeader(DirectMethod.RID));
        assertEquals(kind, exchange.getProperty("requestKind"));
    }

    @Test
    void anUnknownMethodIsA404NamingItOnlyWhenItsNameIsPlain() {
        Exchange plain = arrived("$iothub/methods/POST/reboot/?$rid=7", "{}");
        RequestError unknown = assertThrows(RequestError.class, () -> new DirectMethod().process(plain));
        assertEquals(404, unknown.status());
        assertTrue(unknown.getMessage().startsWith("no method 'reboot'"), unknown.getMessage());
        assertEquals("7", plain.getMessage().getHeader(DirectMethod.RID), "answered all the same");

        Exchange forged = arrived("$iothub/methods/POST/x\n12:00 ERROR forged/?$rid=8", "{}");
        RequestError shown = assertThrows(RequestError.class, () -> new DirectMethod().process(forged));
        assertFalse(shown.getMessage().contains("\n"), shown.getMessage());
        assertTrue(shown.getMessage().startsWith("no method of that name"), shown.getMessage());
    }

    @Test
    void aMethodWithoutTheHubsRidCantBeAnsweredAndIsBadInput() {
        assertThrows(BadMessage.class, () -> new DirectMethod().process(arrived("$iothub/methods/POST/down", "{}")));
        assertThrows(BadMessage.class, () -> new DirectMethod().process(arrived("$iothub/methods/POST/down/?$rid=",
                "{}")));
        assertThrows(BadMessage.class, () -> new DirectMethod().process(arrived(
                "$iothub/methods/POST/down/?$rid=1/../x", "{}")));
        assertEquals(400, assertThrows(RequestError.class, () -> new DirectMethod().process(arrived(
                "$iothub/methods/POST/down/?$rid=1", ""))).status(), "an empty payload is answered");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                  | {"deveui":"00-80-00-ff-ff-00-00-01"}              | down
            &clear=true         | {"deveui":"00-80-00-ff-ff-00-00-01"}              | clear
            &clear              | {"deveui":"00-80-00-ff-ff-00-00-01"}              | clear
            &%63lear=1          | {"deveui":"00-80-00-ff-ff-00-00-01"}              | clear
            &clear=false        | {"deveui":"00-80-00-ff-ff-00-00-01"}              | down
            ''                  | {"deveui":"00-80-00-ff-ff-00-00-01","clear":true} | clear
            ''                  | {"deveui":"00-80-00-ff-ff-00-00-01","clear":0}    | down
            ''                  | not json                                          | down
            """)
    void aCloudToDeviceMessageIsAClearByItsPropertyOrItsJson(String bag, String body, String command) {
        Exchange exchange = arrived(C2D + bag, body);
        new C2dCommand().process(exchange);
        assertEquals(command, exchange.getMessage().getHeader(C2dCommand.COMMAND));
    }
}
