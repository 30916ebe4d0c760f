package io.camelappconnect;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.message.Json;
import io.camelappconnect.support.RequestTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * behaviour.md 11: a lora-query that exits non-zero says why, on standard output or standard error, and the answer
 * carries it as {@code result} (JSON when it is JSON) beside the error with the exit code.
 */
class Behaviour11LoraQueryFailuresTest extends RequestTestSupport {

    @Test
    void aFailedRunAnswersWithWhatLoraQuerySaidOnStandardOutputAsJson() throws Exception {
        JsonNode answer = ask("lora", "{\"command\":\"packet queue add not-json\",\"rid\":11}", 11);
        assertEquals(Json.MAPPER.readTree("{\"error\":\"lora-query failed (exit 1)\","
                + "\"result\":{\"status\":\"fail\",\"error\":\"invalid packet JSON\"},\"status\":\"fail\",\"rid\":11}"), answer);
    }

    @Test
    void aFailedRunThatSaysNothingOnStandardOutputAnswersWithItsStandardErrorAsText() throws Exception {
        JsonNode answer = ask("lora", "{\"command\":\"packet queue add '{\\\"data\\\":\\\"QA==\\\"}'\",\"rid\":12}", 12);
        assertEquals(Json.MAPPER.readTree("{\"error\":\"lora-query failed (exit 1)\",\"result\":\"packet queue add:"
                + " invalid packet, \\\"deveui\\\" is required: {\\\"data\\\":\\\"QA==\\\"}\",\"status\":\"fail\",\"rid\":12}"),
                answer);
    }
}
