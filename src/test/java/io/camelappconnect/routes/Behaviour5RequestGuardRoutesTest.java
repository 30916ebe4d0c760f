package io.camelappconnect.routes;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 5, the guard (request-guard: lora-query, api-query, log-query) and the work behind it (lora-work,
 * api-work, log-work), called as the request routes and an IoT Hub's direct methods call them: what each kind's
 * work is handed and what comes back. lora-query's camel-exec and the mPower API's camel-http are mocks.
 */
class Behaviour5RequestGuardRoutesTest extends RouteTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.requestOptions.lora", "true");
        p.setProperty("app.requestOptions.api", "true");
        p.setProperty("app.requestOptions.log", "true");
        try {
            Path logs = Files.createTempDirectory("logs");
            Files.writeString(logs.resolve("messages"), "one\ntwo lora\nthree\nfour lora\n");
            p.setProperty("logs.dir", logs.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aLoraQueryRunsLoraQueryWithTheCommandsWordsAndAnswersItsJson() throws Exception {
        AdviceWith.adviceWith(context, "lora-work",
                a -> a.interceptSendToEndpoint("exec:*").skipSendToOriginalEndpoint().to("mock:exec"));
        MockEndpoint exec = answers("mock:exec", e -> e.getMessage().setBody(new ExecResult(
                new ExecCommand("lora-query", List.of(), null, 1000L, null, null, null, false, null),
                new ByteArrayInputStream("{\"count\":2}".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream(new byte[0]), 0)));
        route("lora-query");
        assertEquals(Json.MAPPER.readTree("{\"result\":{\"count\":2}}"),
                ask("lora", "{\"command\":\"device list\",\"rid\":1}"));
        assertEquals(1, exec.getReceivedCounter());
    }

    @Test
    void anApiQueryCallsTheMpowerApiWithTheRequestsMethodAndPathAndAnswersItsJson() throws Exception {
        AdviceWith.adviceWith(context, "api-work",
                a -> a.interceptSendToEndpoint("http*").skipSendToOriginalEndpoint().to("mock:mpower"));
        MockEndpoint api = answers("mock:mpower", e -> {
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            e.getMessage().setBody(new ByteArrayInputStream("{\"enabled\":true}".getBytes(StandardCharsets.UTF_8)));
        });
        route("api-query");
        assertEquals(Json.MAPPER.readTree("{\"enabled\":true}"),
                ask("api", "{\"method\":\"get\",\"path\":\"/api/loraNetwork?x=1\",\"rid\":2}"));
        Map<String, Object> sent = api.getReceivedExchanges().get(0).getMessage().getHeaders();
        assertEquals(List.of("GET", "/api/loraNetwork", "x=1"),
                List.of(sent.get(Exchange.HTTP_METHOD), sent.get(Exchange.HTTP_PATH), sent.get(Exchange.HTTP_QUERY)));
    }

    @Test
    void aLogQueryAnswersTheLastLinesOfTheFileThatMatchItsFilter() throws Exception {
        AdviceWith.adviceWith(context, "log-work", a -> a.weaveAddLast().to("mock:log-work"));
        route("log-query");
        JsonNode answer = ask("log", "{\"file\":\"/var/log/messages\",\"lines\":1,\"filter\":\"lora\",\"rid\":3}");
        assertEquals("four lora", answer.get("result").asText().strip(), answer.toString());
        assertEquals(1, getMockEndpoint("mock:log-work").getReceivedCounter());
    }

    @Test
    void anEmptyRequestStopsAtTheGuardAndNoWorkIsDone() throws Exception {
        AdviceWith.adviceWith(context, "log-work", a -> a.weaveAddFirst().to("mock:log-work"));
        route("log-query");
        template.requestBodyAndHeaders("direct:in", new byte[0], Map.of(MqttComponent.TOPIC, topic("log")));
        assertEquals(0, getMockEndpoint("mock:log-work").getReceivedCounter());
    }

    /** The guard's answer to {@code request}: the body its work leaves. */
    private JsonNode ask(String kind, String request) {
        return template.requestBodyAndHeaders("direct:in", request.getBytes(StandardCharsets.UTF_8),
                Map.of(MqttComponent.TOPIC, topic(kind)), JsonNode.class);
    }

    private static String topic(String kind) {
        return "lorawan/" + GW + "/" + kind + "_req";
    }

    private MockEndpoint answers(String uri, Processor answer) {
        MockEndpoint mock = getMockEndpoint(uri);
        mock.whenAnyExchangeReceived(answer);
        return mock;
    }
}
