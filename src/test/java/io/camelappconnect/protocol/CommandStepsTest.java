package io.camelappconnect.protocol;

import java.util.Map;

import io.camelappconnect.message.BadMessage;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.camelappconnect.protocol.StepsOnAnExchange.arrived;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 2-4: a cloud command's device (CommandDevice), whether it is stale (ClearRetained) and its data both
 * ways (PayloadCodec's steps).
 */
@Tag("step")
class CommandStepsTest {

    private static final String GW = "029998e0-6156-cdd4-4523-264b523115c1";
    private static final String DEV = "00-80-00-ff-ff-00-00-01";

    @ParameterizedTest(name = "encodeHex {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            false | {"deveui":"0080-00ff-ff00-0001","data":"QA==","port":1} | {"deveui":"00-80-00-ff-ff-00-00-01","data":"QA==","port":1}
            true  | {"deveui":"008000ffff000001","data":"40","port":1}      | {"deveui":"00-80-00-ff-ff-00-00-01","data":"QA==","port":1}
            true  | {"deveui":"00-80-00-ff-ff-00-00-01","ack":true}         | {"deveui":"00-80-00-ff-ff-00-00-01","ack":true}
            """)
    void aDownlinkForTheLns(boolean hex, String command, String forLns) {
        Exchange exchange = arrived("lorawan/" + GW + "/down", command);
        new CommandDevice(null).process(exchange);
        process(new PayloadCodec(hex).downlinkData(), exchange);
        assertEquals(DEV, exchange.getMessage().getHeader(DeviceEuis.DEV_EUI));
        assertEquals(forLns, exchange.getMessage().getBody(String.class));
    }

    @ParameterizedTest(name = "encodeHex {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            false | {"deveui":"00-80-00-ff-ff-00-00-01","data":"@@"} | 'data' is not base64
            true  | {"deveui":"00-80-00-ff-ff-00-00-01","data":"4"}  | 'data' is not hex
            false | {"deveui":"00-80-00-ff-ff-00-00-01","data":5}    | downlink for 00-80-00-ff-ff-00-00-01 refused: 'data' must be a string
            false | {"data":"QA=="}                                  | 'deveui' missing
            false | [1,2]                                            | not a JSON object
            """)
    void aBadDownlinkIsRefusedSayingWhy(boolean hex, String command, String reason) {
        BadMessage e = assertThrows(BadMessage.class, () -> {
            Exchange exchange = arrived("lorawan/" + GW + "/down", command);
            new CommandDevice(null).process(exchange);
            new PayloadCodec(hex).downlinkData().process(exchange);
        });
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void anEmptyCommandIsNoCommand() {
        Exchange exchange = arrived("lorawan/" + GW + "/down", "");
        new CommandDevice(null).process(exchange);
        assertEquals(true, exchange.getProperty(CommandDevice.NO_COMMAND));
        assertNull(exchange.getMessage().getHeader(DeviceEuis.DEV_EUI));
    }

    @Test
    void aRetainedCommandIsStaleAndTheEmptyMessageItsClearingBringsBackIsItsEcho() throws Exception {
        ClearRetained step = new ClearRetained();
        String topic = "lorawan/" + GW + "/down";
        Exchange fresh = arrived(topic, "{}");
        step.process(fresh);
        assertNull(fresh.getProperty(ClearRetained.RETAINED), "not retained: nothing to clear");
        Exchange someoneElses = arrived(topic, "");
        step.process(someoneElses);
        assertNull(someoneElses.getProperty(ClearRetained.RETAINED), "an empty message we did not clear");

        Exchange stale = arrived(topic, "{}");
        stale.getMessage().setHeader(MqttComponent.RETAINED, true);
        step.process(stale);
        assertEquals(ClearRetained.STALE, stale.getProperty(ClearRetained.RETAINED));
        Exchange echo = arrived(topic, "");
        step.process(echo);
        assertEquals(ClearRetained.ECHO, echo.getProperty(ClearRetained.RETAINED));
        Exchange again = arrived(topic, "");
        step.process(again);
        assertNull(again.getProperty(ClearRetained.RETAINED), "one echo for one clearing");
    }

    @Test
    void theDeviceFromTheDownlinkTopicTemplate() {
        TopicTemplate.Subscription template = TopicTemplate.parse("app.options.downlinkTopic",
                "gw/%(gwuuid)s/%(deveui)s/cmd").subscription(Map.of("gwuuid", GW));
        Exchange exchange = arrived("gw/" + GW + "/008000FFFF000001/cmd", "{\"data\":\"QA==\"}");
        new CommandDevice(template).process(exchange);
        assertEquals(DEV, exchange.getMessage().getHeader(DeviceEuis.DEV_EUI));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            lorawan/8b-6c-f0-8e-ee-df-1b-b6/008000FFFF000001/down       | {"data":"QA=="}
            lorawan/029998e0-6156-cdd4-4523-264b523115c1/00-80-00-ff-ff-00-00-01/clear | {}
            lorawan/00-80-00-00-d0-00-01-1a/00-80-00-ff-ff-00-00-01/down | {"deveui":"00-80-00-ff-ff-00-00-09"}
            lorawan/8b-6c-f0-8e-ee-df-1b-b6/029998e0-6156-cdd4-4523-264b523115c1/down | {"deveui":"008000ffff000001"}
            """)
    void api10TheDeviceFromTheTopicOrAfterTheGatewayFromTheJson(String topic, String command) {
        Exchange exchange = arrived(topic, command);
        CommandDevice.api10(GW).process(exchange);
        assertEquals(DEV, exchange.getMessage().getHeader(DeviceEuis.DEV_EUI));
    }

    @Test
    void api10AnEmptyClearIsACommandAndAnEmptyDownlinkIsNot() {
        Exchange clear = arrived("lorawan/8b-6c-f0-8e-ee-df-1b-b6/" + DEV + "/clear", "");
        CommandDevice.api10Clear(GW).process(clear);
        assertEquals(DEV, clear.getMessage().getHeader(DeviceEuis.DEV_EUI));
        Exchange down = arrived("lorawan/8b-6c-f0-8e-ee-df-1b-b6/" + DEV + "/down", "");
        CommandDevice.api10(GW).process(down);
        assertEquals(true, down.getProperty(CommandDevice.NO_COMMAND));
        assertNull(clear.getProperty(CommandDevice.NO_COMMAND));
    }

    @Test
    void api10ADownlinkToTheGatewayWithoutDeveuiIsRefused() {
        BadMessage e = assertThrows(BadMessage.class, () -> CommandDevice.api10(GW)
                .process(arrived("lorawan/8b-6c-f0-8e-ee-df-1b-b6/" + GW + "/down", "{\"data\":\"QA==\"}")));
        assertTrue(e.getMessage().contains("'deveui' missing"), e.getMessage());
    }

    @ParameterizedTest(name = "encodeHex {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            false | {"data":"QA==","fcnt":1} | {"data":"QA==","fcnt":1}
            true  | {"data":"QA==","fcnt":1} | {"data":"40","fcnt":1,"data-format":"hexadecimal"}
            """)
    void anUplinkForTheCloud(boolean hex, String uplink, String forCloud) {
        Exchange exchange = arrived("lora/x/y/up", uplink);
        process(new PayloadCodec(hex).uplinkData(), exchange);
        assertEquals(forCloud, exchange.getMessage().getBody(String.class));
    }

    private static void process(org.apache.camel.Processor step, Exchange exchange) {
        try {
            step.process(exchange);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
