package io.camelappconnect;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.support.RequestTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 5: a request type whose requestOptions flag is off is answered, and nothing runs. */
class Behaviour5DisabledRequestsTest extends RequestTestSupport {

    @Override
    protected void properties(Properties p) {
        super.properties(p);
        p.setProperty("app.requestOptions.lora", "false");
        p.setProperty("app.requestOptions.api", "false");
        p.setProperty("app.requestOptions.log", "false");
    }

    @Test
    void eachDisabledTypeAnswersSoAndRunsNothing() throws Exception {
        int apiCalls = api.requests().size();
        for (String kind : new String[] {"lora", "api", "log"}) {
            JsonNode answer = ask(kind, "{\"command\":\"device count\",\"method\":\"GET\",\"path\":\"/api/loraNetwork\","
                    + "\"file\":\"messages\",\"lines\":1,\"rid\":\"" + kind + "\"}", kind);
            assertEquals(kind + " requests are disabled", answer.get("error").asText());
            assertEquals("fail", answer.get("status").asText());
        }
        assertTrue(loraQueryCalls().isEmpty());
        assertEquals(apiCalls, api.requests().size());
    }
}
