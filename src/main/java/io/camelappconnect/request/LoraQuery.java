package io.camelappconnect.request;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.protocol.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecResult;

/**
 * {@code lora_req} around camel-exec (behaviour.md 5.1): the command string becomes the argv of
 * {@code lora-query -x WORD...}, started directly, never through a shell; its stdout becomes the answer.
 */
public final class LoraQuery {

    private static final int MAX_COMMAND_CHARS = 4096;
    /** A page of 500 devices is about 250 KB. */
    private static final int MAX_OUTPUT_BYTES = 1024 * 1024;

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
                    throw new RequestError("lora-query did not answer within " + timeoutMs / 1000.0 + " s and was stopped");
                }
                // it says why on standard output, or else on standard error: the cloud sees its own words (behaviour.md 11)
                String said = text(result.getStdout(), MAX_OUTPUT_BYTES).trim();
                if (said.isEmpty()) {
                    said = text(result.getStderr(), MAX_OUTPUT_BYTES).trim();
                }
                throw new RequestError("lora-query failed (exit " + result.getExitValue() + ")",
                        said.isEmpty() ? null : jsonOrText(said));
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

    /**
     * {@code <program> -x <words>}, for what the app asks itself (not the cloud): its JSON answer. Started directly,
     * nothing on stdin, its output read while it runs and bounded in size, stopped at the deadline.
     *
     * @throws IOException saying why there is no answer: it could not start, timed out, failed, or said no JSON
     */
    public static JsonNode ask(String program, long timeoutMs, String... words) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(program, "-x"));
        argv.addAll(List.of(words));
        Process process = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            process.getOutputStream().close();
            // read while it runs (a full pipe would stall it), and give up at the deadline: stopping it ends the read
            CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getInputStream().readNBytes(MAX_OUTPUT_BYTES + 1);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] out;
            try {
                out = reading.get(timeoutMs, TimeUnit.MILLISECONDS);
                if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                    throw new TimeoutException();
                }
            } catch (TimeoutException e) {
                throw new IOException("no answer within " + timeoutMs + " ms");
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage());
            }
            if (out.length > MAX_OUTPUT_BYTES) {
                throw new IOException("the answer is over " + MAX_OUTPUT_BYTES / 1024 + " KiB");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new IOException("exit " + process.exitValue() + (text.isEmpty() ? "" : ": " + abbreviate(text)));
            }
            try {
                return Json.MAPPER.readTree(text);
            } catch (IOException e) {
                throw new IOException("not JSON: " + abbreviate(text));
            }
        } finally {
            process.destroyForcibly();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
