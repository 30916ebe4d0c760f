package io.camelappconnect.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelappconnect.mqtt.Causes;
import io.camelappconnect.mqtt.ConnectionConfig.Backoff;
import io.camelappconnect.store.MessageStore;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The order and the keeping of HTTP mode's queue (behaviour.md 9 and 7), with the route that posts stood in for by a
 * sender that records what it gets and fails when told: what waits in memory goes before what overflowed to disk,
 * a failure keeps everything in order, and a refused batch costs only the message the server refuses.
 */
@Tag("step")
class ServerQueueTest {

    /** The uplinks each post held, as their numbers, in the order posted. */
    private final List<List<Integer>> posts = new ArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private ServerQueue queue;

    private ServerQueue queue(ServerQueue.Sender sender) throws Exception {
        return queue(Files.createTempDirectory("server-queue"), sender);
    }

    private ServerQueue queue(Path dir, ServerQueue.Sender sender) {
        queue = new ServerQueue("server", "http://test", "api/v1/lorawan/app/up",
                new MessageStore("server", dir, 100_000, 64L << 20, -1), new Backoff(10, 50), -1,
                refused::incrementAndGet, Causes.Keys.APP);
        queue.attach(sender);
        return queue;
    }

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.stop();
        }
    }

    @Test
    void whatWaitsInMemoryGoesBeforeWhatOverflowedToDisk() throws Exception {
        CountDownLatch slowFirst = new CountDownLatch(1);
        ServerQueue q = queue((path, body, messages) -> {
            slowFirst.await(10, TimeUnit.SECONDS); // the server takes its time: 2,500 wait, 1,000 of them in memory
            record(body);
        });
        List<CompletableFuture<Void>> safe = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            safe.add(q.post("api/v1/lorawan/app/dev/up", uplink(i)));
        }
        slowFirst.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> posted().size() == 2500);
        assertEquals(java.util.stream.IntStream.range(0, 2500).boxed().toList(), posted(), "in order");
        assertTrue(safe.stream().allMatch(CompletableFuture::isDone));
    }

    @Test
    void aFailureKeepsTheBatchAndWhatWaitsBehindItInOrder() throws Exception {
        AtomicInteger failuresLeft = new AtomicInteger(5);
        ServerQueue q = queue((path, body, messages) -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new java.net.ConnectException("Connection refused");
            }
            record(body);
        });
        for (int i = 0; i < 300; i++) {
            q.post("api/v1/lorawan/app/dev/up", uplink(i));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> posted().size() >= 300);
        assertEquals(java.util.stream.IntStream.range(0, 300).boxed().toList(), posted());
        assertEquals(300, q.state().kept(), "each kept on disk once: a try again reads it from there, writes nothing");
    }

    @Test
    void aRefusedBatchIsPostedOneByOneAndOnlyTheRefusedMessageIsDropped() throws Exception {
        CountDownLatch slowFirst = new CountDownLatch(1);
        ServerQueue q = queue((path, body, messages) -> {
            slowFirst.await(10, TimeUnit.SECONDS);
            if (new String(body, StandardCharsets.UTF_8).contains("\"n\":7}")) {
                throw new HttpOperationFailedException("http://test/" + path, 400, "Bad Request", null, null, "no");
            }
            record(body);
        });
        for (int i = 0; i < 12; i++) {
            q.post("api/v1/lorawan/app/dev/up", uplink(i));
        }
        slowFirst.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> posted().size() == 11);
        List<Integer> expected = new ArrayList<>(java.util.stream.IntStream.range(0, 12).boxed().toList());
        expected.remove(Integer.valueOf(7));
        assertEquals(expected, posted());
        assertEquals(1, refused.get());
    }

    @Test
    void postsAStoreCannotTakeAreNotSafeUntilTheServerTookThem() throws Exception {
        Path notADirectory = Files.createTempFile("server-queue", "");
        AtomicInteger tries = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean(true);
        ServerQueue q = queue(notADirectory.resolve("store"), (path, body, messages) -> {
            tries.incrementAndGet();
            if (away.get()) {
                throw new java.net.ConnectException("Connection refused");
            }
            record(body);
        });
        List<CompletableFuture<Void>> safe = new ArrayList<>();
        safe.add(q.post("api/v1/lorawan/app/dev/up", uplink(0)));
        await().atMost(Duration.ofSeconds(10)).until(() -> tries.get() >= 1); // failed: it stays in memory
        for (int i = 1; i < 300; i++) { // behind it: the disk is tried, and they are held in memory
            safe.add(q.post("api/v1/lorawan/app/dev/up", uplink(i)));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> tries.get() >= 5); // tried again, with backoff
        assertTrue(safe.stream().noneMatch(CompletableFuture::isDone), "none acknowledged: neither server nor disk has it");
        assertTrue(q.state().storeFault().contains("store.dir"), q.state().storeFault());
        assertEquals(299, q.state().waiting(), "held for the disk");

        away.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> posted().size() >= 300);
        assertEquals(java.util.stream.IntStream.range(0, 300).boxed().toList(), posted(), "in order");
        await().atMost(Duration.ofSeconds(5)).until(() -> safe.stream().allMatch(CompletableFuture::isDone));
        Files.delete(notADirectory);
    }

    private synchronized void record(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        List<Integer> numbers = new ArrayList<>();
        for (String part : text.split("\"n\":")) {
            if (Character.isDigit(part.isEmpty() ? 'x' : part.charAt(0))) {
                numbers.add(Integer.parseInt(part.replaceAll("\\D.*", "")));
            }
        }
        posts.add(numbers);
    }

    private synchronized List<Integer> posted() {
        return posts.stream().flatMap(List::stream).toList();
    }

    private static byte[] uplink(int n) {
        return ("{\"n\":" + n + "}").getBytes(StandardCharsets.UTF_8);
    }
}
