package io.camelappconnect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelappconnect.support.RequestTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 20 finding 2, answers too big to hold: a lora-query that prints 50 MB and an mPower API that answers 50 MB
 * are read only up to their bound (1 MiB, mpower.maxAnswerBytes) and answered with an error that says so, at once;
 * the run is stopped, the HTTP answer not read further. An mPower answer that never ends is given up after
 * mpower.timeout.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Behaviour5OversizedAnswersTest extends RequestTestSupport {

    private static final long FIFTY_MIB = 50L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aLoraQueryPrinting50MbIsStoppedAt1MibAndAnsweredTooBig() throws Exception {
        Path finished = dir.resolve("flood-finished");
        int rid = rid();
        long start = System.nanoTime();
        JsonNode answer = ask("lora", "{\"command\":\"flood 50 " + finished + "\",\"rid\":" + rid + "}", rid);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.println("lora-query printing 50 MB: answered in " + ms + " ms: " + answer);
        assertEquals("lora-query's answer is over 1024 KiB: ask for less (e.g. one page)", answer.path("error").asText(),
                answer.toString());
        assertEquals("fail", answer.path("status").asText());
        // stopped as the bound was passed: it never got to the end of its 50 MB
        assertFalse(Files.exists(finished), "lora-query was read to its end");
        assertTrue(ms < 5_000, ms + " ms");
    }

    @Test
    void anMpowerAnswerThatNeverEndsIsGivenUpAfterTheTimeout() {
        int rid = rid();
        long start = System.nanoTime();
        // a byte a second: no single read waits the socket timeout (mpower.timeout, 1.5 s here) out
        JsonNode answer = ask("api", "{\"method\":\"GET\",\"path\":\"/api/test/endless\",\"rid\":" + rid + "}", rid);
        double s = (System.nanoTime() - start) / 1e9;
        System.out.printf("mPower answer that never ends: answered in %.2f s: %s%n", s, answer);
        assertEquals("the mPower API's answer did not come within 1500 ms (mpower.timeout)", answer.path("error").asText(),
                answer.toString());
        assertTrue(s < 5, s + " s");
    }

    @Test
    void anMpowerAnswerOf50MbIsReadUpToTheBoundAndAnsweredTooBig() {
        int rid = rid();
        JsonNode answer = ask("api", "{\"method\":\"GET\",\"path\":\"/api/test/big?mib=50\",\"rid\":" + rid + "}", rid);
        assertEquals("the mPower API's answer is over 1048576 bytes (mpower.maxAnswerBytes): ask for less",
                answer.path("error").asText(), answer.toString());
        long sent = await().alias("the stand-in's 50 MB answer ended").atMost(20, TimeUnit.SECONDS)
                .pollInterval(20, TimeUnit.MILLISECONDS).until(api::bigAnswerSent, n -> n >= 0);
        System.out.println("mPower answer of 50 MiB: the stand-in wrote " + sent + " bytes before the bridge let go");
        assertTrue(sent < FIFTY_MIB, sent + " bytes of 50 MiB were taken");
    }
}
