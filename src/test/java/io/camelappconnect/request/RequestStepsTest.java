package io.camelappconnect.request;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.operations.Counters;
import org.apache.camel.Exchange;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.camelappconnect.protocol.StepsOnAnExchange.arrived;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 5 and 11: a request's first and last steps, and lora-query's result, on a plain exchange. */
@Tag("step")
class RequestStepsTest {

    private static final String GW = "029998e0-6156-cdd4-4523-264b523115c1";

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"command":"device count","rid":1}    | {"result":"ok","rid":1}
            {"command":"device count","rid":"a"}  | {"result":"ok","rid":"a"}
            {"command":"device count"}            | {"result":"ok"}
            {"command":"device count","rid":1.10} | {"result":"ok","rid":1.10}
            {"command":"device count","rid":0.1000000000000000055511151231257827} | {"result":"ok","rid":0.1000000000000000055511151231257827}
            {"command":"device count","rid":123456789012345678901234567890} | {"result":"ok","rid":123456789012345678901234567890}
            """)
    void theRidComesBackAsItCame(String request, String answer) throws Exception {
        Exchange exchange = arrived("lorawan/" + GW + "/lora_req", request);
        new RequestIn().process(exchange);
        exchange.getMessage().setBody(Json.MAPPER.createObjectNode().put("result", "ok"));
        new RidEcho(100_000, "mqtt.maxPayloadBytes", new Counters()).process(exchange);
        assertEquals(answer, exchange.getMessage().getBody(String.class));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            lora | not json
            api  | [1]
            """)
    void aRequestThatIsNotAnObjectIsAnsweredWithoutRid(String kind, String request) throws Exception {
        Exchange exchange = arrived("lorawan/" + GW + "/" + kind + "_req", request);
        RequestError e = assertThrows(RequestError.class, () -> new RequestIn().process(exchange));
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        new RidEcho(100_000, "mqtt.maxPayloadBytes", new Counters()).process(exchange);
        JsonNode answer = Json.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        assertTrue(answer.get("error").asText().startsWith("request is not a JSON object"), answer.toString());
        assertEquals("fail", answer.get("status").asText());
        assertEquals(kind.equals("api"), answer.has("code"), "api_res has a code: " + answer);
        assertEquals(false, answer.has("rid"), answer.toString());
    }

    @Test
    void aRequestOverTheBoundIsRefused() {
        String big = "{\"command\":\"" + "x".repeat(RequestIn.MAX_REQUEST_BYTES) + "\"}";
        RequestError e = assertThrows(RequestError.class,
                () -> new RequestIn().process(arrived("lorawan/" + GW + "/lora_req", big)));
        assertTrue(e.getMessage().contains("at most " + RequestIn.MAX_REQUEST_BYTES), e.getMessage());
    }

    @Test
    void anAnswerOverMaxPayloadBytesBecomesAnErrorThatSaysSo() throws Exception {
        Exchange exchange = arrived("lorawan/" + GW + "/log_req", "{\"rid\":9}");
        new RequestIn().process(exchange);
        exchange.getMessage().setBody(Json.MAPPER.createObjectNode().put("result", "x".repeat(2000)));
        new RidEcho(1024, "mqtt.maxPayloadBytes", new Counters()).process(exchange);
        String text = exchange.getMessage().getBody(String.class);
        assertTrue(text.contains("over mqtt.maxPayloadBytes (1024)") && text.endsWith("\"rid\":9}"), text);
    }

    @ParameterizedTest(name = "exit {0}, stdout {1}, stderr {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0 | {"count":9}                  | ''        | {"result":{"count":9}}
            0 | lora-query 2.3.1             | ''        | {"result":"lora-query 2.3.1"}
            1 | {"status":"fail","error":"x"} | ''       | {"error":"lora-query failed (exit 1)","result":{"status":"fail","error":"x"},"status":"fail"}
            2 | ''                           | unknown   | {"error":"lora-query failed (exit 2)","result":"unknown","status":"fail"}
            3 | ''                           | ''        | {"error":"lora-query failed (exit 3)","status":"fail"}
            """)
    void loraQuerysResult(int exit, String stdout, String stderr, String answer) throws Exception {
        Exchange exchange = arrived("lorawan/" + GW + "/lora_req", "{\"command\":\"x\"}");
        new RequestIn().process(exchange);
        exchange.getMessage().setBody(new ExecResult(new ExecCommand("lora-query", List.of(), null, 1000L, null, null,
                null, false, null), stream(stdout), stream(stderr), exit));
        try {
            new LoraQuery("lora-query", 10_000).result().process(exchange);
        } catch (RequestError e) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, e);
        }
        new RidEcho(100_000, "mqtt.maxPayloadBytes", new Counters()).process(exchange);
        assertEquals(Json.MAPPER.readTree(answer), Json.MAPPER.readTree(exchange.getMessage().getBody(String.class)));
    }

    @Test
    void anEmptyMessageIsNoRequest() {
        Exchange exchange = arrived("lorawan/" + GW + "/lora_req", "");
        new RequestIn().process(exchange);
        assertEquals(true, exchange.getProperty(RequestIn.NO_REQUEST));
        Exchange request = arrived("lorawan/" + GW + "/lora_req", "{\"rid\":1}");
        new RequestIn().process(request);
        assertNull(request.getProperty(RequestIn.NO_REQUEST));
    }

    private static ByteArrayInputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
