package io.camelappconnect.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.camelappconnect.message.BadMessage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.camelappconnect.protocol.StepsOnAnExchange.arrived;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 2: a join goes on as the LNS sent it, plus deveui and time (as jq's {@code . + {...}} made it). */
@Tag("step")
@Timeout(10)
class JoinedDataTest {

    private static final String DEV = "00-80-00-ff-ff-00-00-03";

    private static String joined(String payload) {
        Exchange exchange = arrived("lora/" + DEV + "/joined", payload);
        exchange.getMessage().setHeader(DeviceEuis.DEV_EUI, DEV);
        new JoinedData().process(exchange);
        return new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
    }

    @Test
    void theLnsKeysStayInOrderAndAsWrittenDeveuiAndTimeGoLast() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String out = joined("{\"appeui\":\"8b6cf08eeedf1bb6\",\"freq\":903.50,\"joinnonce\":1,\"ok\":true}");
        Instant after = Instant.now();
        String prefix = "{\"appeui\":\"8b6cf08eeedf1bb6\",\"freq\":903.50,\"joinnonce\":1,\"ok\":true,\"deveui\":\"" + DEV
                + "\",\"time\":\"";
        assertTrue(out.startsWith(prefix), out);
        String time = out.substring(prefix.length(), out.length() - 2);
        assertTrue(time.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), time);
        Instant at = Instant.parse(time);
        assertTrue(!at.isBefore(before) && !at.isAfter(after), time + " not between " + before + " and " + after);
    }

    @Test
    void aDeveuiTheLnsSentKeepsItsPlaceWithTheNormalisedValue() {
        String out = joined("{\"deveui\":\"0080-00FF-FF00-0003\",\"appeui\":\"8b6cf08eeedf1bb6\"}");
        assertTrue(out.startsWith("{\"deveui\":\"" + DEV + "\",\"appeui\":\"8b6cf08eeedf1bb6\",\"time\":\""), out);
    }

    @Test
    void aJoinThatIsNoJsonObjectIsBadInput() {
        BadMessage e = assertThrows(BadMessage.class, () -> joined("[1,2]"));
        assertEquals("payload is not a JSON object", e.getMessage());
    }
}
