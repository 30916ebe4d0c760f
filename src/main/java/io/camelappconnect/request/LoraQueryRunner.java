package io.camelappconnect.request;

import java.io.ByteArrayInputStream;
import java.io.IOException;
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
import io.camelappconnect.message.Json;
import org.apache.camel.component.exec.ExecCommandExecutor;
import org.apache.camel.component.exec.ExecResult;

/**
 * The one way lora-query runs (behaviour.md 5.1, 10, 2): argv only, never a shell, nothing on stdin, each output read
 * up to a bound while it runs, stopped at its deadline or once it said too much. The cloud's {@code lora_req} runs it
 * through camel-exec with {@link #executor()} (routes/requests.yaml); what the app asks itself (LENS's application
 * networks, the gateway's EUIs) with {@link #ask}.
 */
public final class LoraQueryRunner {

    /** A page of 500 devices is about 250 KB. */
    static final int MAX_OUTPUT_BYTES = 1024 * 1024;
    /** Read a run's outputs: blocking reads, two a run, not on the common pool (one thread on a 2-core gateway). */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lora-query output");
        t.setDaemon(true);
        return t;
    });

    private LoraQueryRunner() {
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
