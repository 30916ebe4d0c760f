package io.camelappconnect.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** {@code log_req} (behaviour.md 5.3): the request's fields checked, the lines read by {@link LogTail}. */
public final class LogRequest implements Processor {

    private static final String EXAMPLE = "{\"file\":\"messages\",\"lines\":100,\"filter\":\"lora\"}";
    /** The protocol's name for the log folder, whatever logs.dir is here (an edge box, the demo). */
    private static final String PROTOCOL_LOG_DIR = "/var/log/";

    private final LogTail logs;

    public LogRequest(LogTail logs) {
        this.logs = logs;
    }

    @Override
    public void process(Exchange exchange) {
        ObjectNode request = exchange.getMessage().getBody(ObjectNode.class);
        String file = RequestIn.requiredText(request, "file", EXAMPLE);
        if (file.startsWith(PROTOCOL_LOG_DIR)) {
            file = file.substring(PROTOCOL_LOG_DIR.length()); // still checked against logs.dir by LogTail
        }
        JsonNode lines = request.get("lines");
        if (lines == null || !lines.isIntegralNumber() || !lines.canConvertToInt()) {
            throw new RequestError("'lines' must be a whole number, e.g. " + EXAMPLE);
        }
        JsonNode filter = request.get("filter");
        if (filter != null && !filter.isNull() && !filter.isTextual()) {
            throw new RequestError("'filter' must be a string (a regular expression, as for grep -Ei)");
        }
        LogTail.Result result = logs.read(file, lines.asInt(), filter == null || filter.isNull() ? null : filter.asText());
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("result", result.text());
        if (result.note() != null) {
            answer.put("note", result.note());
        }
        exchange.getMessage().setBody(answer);
    }
}
