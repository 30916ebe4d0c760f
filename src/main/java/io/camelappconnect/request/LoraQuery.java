package io.camelappconnect.request;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Processor;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;

/**
 * {@code lora_req} around camel-exec (behaviour.md 5.1): the command string becomes the argv of
 * {@code lora-query -x WORD...}, started directly, never through a shell (camel-exec runs it with
 * {@link LoraQueryRunner#executor()}); its stdout becomes the answer.
 */
public final class LoraQuery {

    private static final int MAX_COMMAND_CHARS = 4096;
    private static final int MAX_OUTPUT_BYTES = LoraQueryRunner.MAX_OUTPUT_BYTES;

    private final String program;
    private final long timeoutMs;

    public LoraQuery(String program, long timeoutMs) {
        this.program = program;
        this.timeoutMs = timeoutMs;
    }

    /** Before camel-exec: the program and its arguments as headers, nothing on stdin. */
    public Processor command() {
        return exchange -> {
            ObjectNode request = exchange.getMessage().getBody(ObjectNode.class);
            String command = RequestIn.requiredText(request, "command", "{\"command\":\"device count\"}");
            if (command.length() > MAX_COMMAND_CHARS) {
                throw new RequestError("command is longer than " + MAX_COMMAND_CHARS + " characters");
            }
            List<String> args = new ArrayList<>();
            args.add("-x");
            args.addAll(ShellWords.split(command));
            exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, program);
            exchange.getMessage().setHeader(ExecBinding.EXEC_COMMAND_ARGS, args);
            exchange.getMessage().setBody(null);
        };
    }

    /**
     * After camel-exec: JSON stdout embedded as JSON, other stdout as a string; a failure says why, with what the
     * program said as the answer's {@code result}.
     */
    public Processor result() {
        return exchange -> {
            ExecResult result = exchange.getMessage().getBody(ExecResult.class);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.getProperty(RequestIn.STARTED, Long.class));
            if (result.getExitValue() != 0) {
                if (ms >= timeoutMs) {
                    throw RequestError.failed("lora-query did not answer within " + timeoutMs / 1000.0 + " s and was stopped", null,
                            null);
                }
                // it says why on standard output, or else on standard error: the cloud sees its own words (behaviour.md 11)
                String said = text(result.getStdout(), MAX_OUTPUT_BYTES).trim();
                if (said.isEmpty()) {
                    said = text(result.getStderr(), MAX_OUTPUT_BYTES).trim();
                }
                throw RequestError.failed("lora-query failed (exit " + result.getExitValue() + ")",
                        said.isEmpty() ? null : jsonOrText(said), null);
            }
            String stdout = text(result.getStdout(), MAX_OUTPUT_BYTES);
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.set("result", jsonOrText(stdout));
            exchange.getMessage().setBody(answer);
        };
    }

    private static JsonNode jsonOrText(String stdout) {
        try {
            JsonNode json = Json.MAPPER.readTree(stdout);
            if (json != null && (json.isContainerNode())) {
                return json;
            }
        } catch (IOException notJson) {
            // answered as text below
        }
        return Json.MAPPER.getNodeFactory().textNode(stdout.trim());
    }

    private static String text(InputStream stream, int max) throws IOException {
        if (stream == null) {
            return "";
        }
        byte[] bytes = stream.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new RequestError("lora-query's answer is over " + max / 1024 + " KiB: ask for less (e.g. one page)");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

}
