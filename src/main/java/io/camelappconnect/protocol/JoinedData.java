package io.camelappconnect.protocol;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The join step (behaviour.md 2): the LNS JSON plus {@code deveui} (header {@code devEui}, after {@link DeviceEuis})
 * and {@code time}, now in UTC to the millisecond. A key the LNS sent already keeps its place with the new value, a
 * new one goes last, as jq's {@code . + {deveui: ..., time: ...}} did: a Jackson step rather than camel-jq, whose
 * 236 classes and start-up were loaded for this step alone.
 */
public final class JoinedData implements Processor {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Override
    public void process(Exchange exchange) {
        ObjectNode json = Json.object(exchange.getMessage().getBody(byte[].class));
        json.put("deveui", exchange.getMessage().getHeader(DeviceEuis.DEV_EUI, String.class));
        json.put("time", TIME.format(Instant.now()));
        exchange.getMessage().setBody(Json.bytes(json));
    }
}
