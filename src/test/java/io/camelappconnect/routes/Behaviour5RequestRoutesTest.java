package io.camelappconnect.routes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.ExecResult;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.BridgeTestSupport.GW;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 5, the routes of routes/requests.yaml alone: each request answered once on its own _res topic, with
 * its rid; lora-query (camel-exec) replaced by a mock that answers as it would.
 */
class Behaviour5RequestRoutesTest extends RouteTestSupport {

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.requestOptions.lora", "true");
    }

    @Test
    void aLoraRequestRunsLoraQueryWithTheCommandsWordsAndAnswersItsOutput() throws Exception {
        MockEndpoint exec = execAnswers(0, "{\"count\":9}");
        arrives("lorawan/" + GW + "/lora_req", "{\"command\":\"device count\",\"rid\":1}");
        assertEquals(List.of("lorawan/" + GW + "/lora_res {\"result\":{\"count\":9},\"rid\":1}"),
                published("cloud", "lorawan/" + GW + "/lora_res", 1));
        assertEquals(List.of("-x", "device", "count"),
                exec.getReceivedExchanges().get(0).getMessage().getHeader(ExecBinding.EXEC_COMMAND_ARGS, List.class));
    }

    @Test
    void aFailedRunIsAnsweredWithWhatLoraQuerySaid() throws Exception {
        execAnswers(1, "{\"status\":\"fail\",\"error\":\"invalid packet JSON\"}");
        arrives("lorawan/" + GW + "/lora_req", "{\"command\":\"packet queue add x\",\"rid\":\"r2\"}");
        JsonNode answer = answer("lora_res");
        assertEquals(Json.MAPPER.readTree("{\"error\":\"lora-query failed (exit 1)\",\"result\":{\"status\":\"fail\","
                + "\"error\":\"invalid packet JSON\"},\"status\":\"fail\",\"rid\":\"r2\"}"), answer);
    }

    @Test
    void aRequestTypeTurnedOffIsAnsweredSoOnItsOwnTopic() throws Exception {
        route("log-request");
        arrives("lorawan/" + GW + "/log_req", "{\"file\":\"messages\",\"rid\":3}");
        assertEquals(Json.MAPPER.readTree("{\"error\":\"log requests are disabled\",\"status\":\"fail\",\"rid\":3}"),
                answer("log_res"));
    }

    @Test
    void aRequestThatIsNotJsonIsAnsweredWithoutRid() throws Exception {
        route("api-request");
        arrives("lorawan/" + GW + "/api_req", "GET /api/loraNetwork");
        JsonNode answer = answer("api_res");
        assertEquals(400, answer.get("code").asInt(), answer.toString());
        assertEquals("fail", answer.get("status").asText(), answer.toString());
        assertEquals(false, answer.has("rid"), answer.toString());
    }

    private JsonNode answer(String res) throws Exception {
        String published = published("cloud", "lorawan/" + GW + "/" + res, 1).get(0);
        return Json.MAPPER.readTree(published.substring(published.indexOf(' ') + 1));
    }

    /** lora-request with camel-exec replaced: the run exits with {@code exit} and {@code stdout}. */
    private MockEndpoint execAnswers(int exit, String stdout) throws Exception {
        AdviceWith.adviceWith(context, "lora-request",
                a -> a.interceptSendToEndpoint("exec:*").skipSendToOriginalEndpoint().to("mock:exec"));
        MockEndpoint exec = getMockEndpoint("mock:exec");
        exec.whenAnyExchangeReceived(e -> e.getMessage().setBody(new ExecResult(
                new ExecCommand("lora-query", List.of(), null, 1000L, null, null, null, false, null),
                new ByteArrayInputStream(stdout.getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream(new byte[0]), exit)));
        route("lora-request");
        return exec;
    }
}
