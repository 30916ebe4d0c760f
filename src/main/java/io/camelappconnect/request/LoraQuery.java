package io.camelappconnect.request;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;

/**
 * {@code lora_req} around camel-exec (behaviour.md 5.1): the command string becomes the argv of
 * {@code lora-query -x WORD...}, started directly, never through a shell; its stdout becomes the answer.
 */
public final class LoraQuery {

    private static final int MAX_COMMAND_CHARS = 4096;
    /** A page of 500 devices is about 250 KB. */
    private static final int MAX_OUTPUT_BYTES = 1024 * 1024;
    /** Read a run's outputs: blocking reads, two a run, not on the common pool (one thread on a 2-core gateway). */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lora-query output");
        t.setDaemon(true);
        return t;
    });

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

    /**
     * For camel-exec ({@code commandExecutor=#loraExecutor}): runs the command as {@link #run} does, so that at most
     * 1 MiB and a byte of each output is ever held, however much lora-query prints (camel-exec's own executor holds
     * all of it). The endpoint's timeout applies; nothing goes to stdin.
     */
    public static ExecCommandExecutor executor() {
        return command -> {
            List<String> argv = new ArrayList<>(List.of(command.getExecutable()));
            argv.addAll(command.getArgs());
            try {
                Run run = run(argv, command.getTimeout(), true);
                return new ExecResult(command, new ByteArrayInputStream(run.stdout()),
                        new ByteArrayInputStream(run.stderr()), run.exit());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }

    /**
     * {@code <program> -x <words>}, for what the app asks itself (not the cloud): its JSON answer, as {@link #run}
     * reads it, standard error left out.
     *
     * @throws IOException saying why there is no answer: it could not start, timed out, failed, or said no JSON
     */
    public static JsonNode ask(String program, long timeoutMs, String... words) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(program, "-x"));
        argv.addAll(List.of(words));
        Run run = run(argv, timeoutMs, false);
        if (run.timedOut()) {
            throw new IOException("no answer within " + timeoutMs + " ms");
        }
        if (run.stdout().length > MAX_OUTPUT_BYTES) {
            throw new IOException("the answer is over " + MAX_OUTPUT_BYTES / 1024 + " KiB");
        }
        String text = new String(run.stdout(), StandardCharsets.UTF_8).trim();
        if (run.exit() != 0) {
            throw new IOException("exit " + run.exit() + (text.isEmpty() ? "" : ": " + abbreviate(text)));
        }
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            // not quoted: a LENS list that is nearly JSON may hold an application's password
            throw new IOException("not JSON (" + run.stdout().length + " bytes)");
        }
    }

    /**
     * What a run said: at most {@code MAX_OUTPUT_BYTES} and one more byte of each output (one more: it said too much),
     * and its exit value (-1 when stopped: at the deadline, or for saying too much).
     */
    record Run(byte[] stdout, byte[] stderr, int exit, boolean timedOut) {
    }

    /**
     * Starts {@code argv} directly, nothing on stdin, and reads its output while it runs (a full pipe would stall
     * it), each stream up to the bound. A run that says more than the bound on stdout is stopped as soon as it has;
     * one still running at the deadline is stopped too.
     */
    static Run run(List<String> argv, long timeoutMs, boolean keepStderr) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        Process process = new ProcessBuilder(argv).redirectError(keepStderr ? ProcessBuilder.Redirect.PIPE
                : ProcessBuilder.Redirect.DISCARD).start();
        try {
            process.getOutputStream().close();
            Future<byte[]> stdout = READERS.submit(() -> process.getInputStream().readNBytes(MAX_OUTPUT_BYTES + 1));
            Future<byte[]> stderr = keepStderr
                    ? READERS.submit(() -> process.getErrorStream().readNBytes(MAX_OUTPUT_BYTES + 1))
                    : CompletableFuture.completedFuture(new byte[0]);
            try {
                byte[] out = stdout.get(left(deadline), TimeUnit.NANOSECONDS);
                if (out.length > MAX_OUTPUT_BYTES) {
                    return new Run(out, new byte[0], -1, false); // not a byte more: stopped below
                }
                byte[] err = stderr.get(left(deadline), TimeUnit.NANOSECONDS);
                if (!process.waitFor(left(deadline), TimeUnit.NANOSECONDS)) {
                    throw new TimeoutException();
                }
                return new Run(out, err, process.exitValue(), false);
            } catch (TimeoutException e) {
                return new Run(new byte[0], new byte[0], -1, true);
            } catch (ExecutionException e) {
                throw new IOException(e.getCause().getMessage(), e.getCause());
            }
        } finally {
            process.destroyForcibly();
            // and whatever it started and still writes (a pipeline): closing our ends gives it EPIPE
            process.getInputStream().close();
            process.getErrorStream().close();
        }
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
