package io.camelappconnect.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What a fault did to a stream of uplinks, counted on the cloud side: each uplink is its device (from the topic)
 * and its {@code fcnt}, unique per device as the test sends them.
 */
public final class UplinkTally {

    private static final Pattern FCNT = Pattern.compile("\"fcnt\":(\\d+)");

    private final Map<String, Set<Integer>> seen = new HashMap<>();
    private final Map<String, Integer> last = new HashMap<>();
    private int received;
    private int duplicates;
    private int outOfOrder;
    /** The first few out of order, for the summary: what a failed run most needs to say. */
    private final List<String> firstOutOfOrder = new ArrayList<>();

    /** One message as it arrived; a duplicate is counted, not held against the order. */
    public synchronized void add(String topic, byte[] payload) {
        Matcher m = FCNT.matcher(new String(payload, StandardCharsets.UTF_8));
        if (!m.find()) {
            return;
        }
        int fcnt = Integer.parseInt(m.group(1));
        received++;
        if (!seen.computeIfAbsent(topic, t -> new HashSet<>()).add(fcnt)) {
            duplicates++;
            return;
        }
        Integer before = last.put(topic, fcnt);
        if (before != null && fcnt < before) {
            outOfOrder++;
            if (firstOutOfOrder.size() < 5) {
                firstOutOfOrder.add(topic + " " + fcnt + " after " + before + " (arrival " + received + ")");
            }
        }
    }

    /**
     * Takes what arrives on {@code cloud} (topics containing {@code topicPart}) until {@code sent} distinct uplinks
     * are in, or {@code seconds} passed, and then 1 s more of it (duplicates still on their way): what is missing is
     * the caller's to count.
     */
    public void collect(MqttProbe cloud, String topicPart, int sent, int seconds) {
        try {
            Awaitility.await().alias("all " + sent + " uplinks on the cloud broker").atMost(seconds, TimeUnit.SECONDS)
                    .pollInterval(100, TimeUnit.MILLISECONDS)
                    .until(() -> {
                        addAll(cloud.available(), topicPart);
                        return distinct() >= sent;
                    });
        } catch (ConditionTimeoutException e) {
            // what is missing is counted by the caller
        }
        addAll(cloud.drain(1), topicPart);
    }

    /** Those of {@code received} whose topic contains {@code topicPart}. */
    public void addAll(List<MqttProbe.Received> received, String topicPart) {
        received.stream().filter(r -> r.topic().contains(topicPart)).forEach(r -> add(r.topic(), r.payload()));
    }

    public synchronized int distinct() {
        return seen.values().stream().mapToInt(Set::size).sum();
    }

    public synchronized int received() {
        return received;
    }

    public synchronized int duplicates() {
        return duplicates;
    }

    /** New uplinks that came after a later one of the same device. */
    public synchronized int outOfOrder() {
        return outOfOrder;
    }

    /** The line the closing note quotes. */
    public synchronized String summary(String fault, int sent) {
        return String.format("FAULT %s: sent %d, received %d, distinct %d, duplicates %d, lost %d, out of order %d%s",
                fault, sent, received, distinct(), duplicates, sent - distinct(), outOfOrder,
                firstOutOfOrder.isEmpty() ? "" : " " + firstOutOfOrder);
    }
}
