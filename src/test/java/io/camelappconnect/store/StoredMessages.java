package io.camelappconnect.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.camelappconnect.store.MessageStore.Kept;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the store tests write and read back: a message from text, and everything kept, drained as Outbox drains. */
final class StoredMessages {

    private StoredMessages() {
    }

    static List<String> drainTopics(MessageStore store) {
        List<String> topics = new ArrayList<>();
        for (String m : drain(store)) {
            topics.add(m.substring(0, m.indexOf(' ')));
        }
        return topics;
    }

    static Kept kept(String topic, String payload, boolean retained) {
        return new Kept(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    static String text(Kept k) {
        return k.topic() + " " + new String(k.payload(), StandardCharsets.UTF_8) + " qos" + k.qos() + " retained="
                + k.retained();
    }

    /** As Outbox sends them, with every file acknowledged as soon as it is all sent. */
    static List<String> drain(MessageStore store) {
        List<String> seen = new ArrayList<>();
        while (true) {
            if (store.headSent()) {
                store.forget(store.headId());
            }
            Kept k = store.peek();
            if (k == null) {
                break;
            }
            seen.add(text(k));
            store.remove(k);
        }
        assertEquals(0, store.size());
        return seen;
    }
}
