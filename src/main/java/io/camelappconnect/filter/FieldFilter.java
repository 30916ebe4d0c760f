package io.camelappconnect.filter;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * A step: the uplink JSON's top-level fields filtered ({@code app.filter.fields.include}, {@code .exclude},
 * {@code .always}), as lora-mqtt-bridge's field filter does: with an include list only those fields go on, else all
 * but the excluded ones; the always fields go on whatever the two lists say (unset: {@code deveui}, {@code appeui},
 * {@code time}, lora-mqtt-bridge's default). The fields keep their order. No include and no exclude: the body is not
 * read (the step costs nothing on every uplink).
 */
public final class FieldFilter implements Processor {

    /** lora-mqtt-bridge's always_include when none is given. */
    static final String ALWAYS = "deveui, appeui, time";
    /** A JSON key as the LNS writes them: no space, comma, quote or bracket. */
    private static final Pattern NAME = Pattern.compile("[^\\s,\"\\[\\]{}]+");

    private final Set<String> include;
    private final Set<String> exclude;
    /** The include list and the always fields: what goes on when there is an include list. */
    private final Set<String> kept;

    private FieldFilter(Set<String> include, Set<String> exclude, Set<String> always) {
        this.include = include;
        this.exclude = exclude;
        this.kept = new LinkedHashSet<>(include);
        this.kept.addAll(always);
    }

    /**
     * @param prefix {@code app.filter.fields.} or {@code mqtt.connection.<name>.filter.fields.}, for the keys the error
     *               names
     * @throws IllegalArgumentException naming the key and the entry that is not a field's name
     */
    public static FieldFilter parse(String prefix, String include, String exclude, String always) {
        Set<String> kept = names(prefix + "always", always.isBlank() ? ALWAYS : always);
        Set<String> dropped = names(prefix + "exclude", exclude);
        dropped.removeAll(kept);
        return new FieldFilter(names(prefix + "include", include), dropped, kept);
    }

    public boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty();
    }

    @Override
    public void process(Exchange exchange) throws JsonProcessingException {
        if (isEmpty()) {
            return;
        }
        ObjectNode json = Json.object(exchange.getMessage().getBody(byte[].class));
        if (!include.isEmpty()) {
            json.retain(kept);
        }
        json.remove(exclude);
        exchange.getMessage().setBody(Json.MAPPER.writeValueAsBytes(json));
    }

    private static Set<String> names(String key, String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text.isBlank()) {
            return out;
        }
        for (String item : text.split(",", -1)) {
            String name = item.trim();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(key + ": '" + name + "': " + (name.isEmpty() ? "an empty entry"
                        : "not a field's name (no space, quote or bracket)") + "; a list is comma-separated");
            }
            out.add(name);
        }
        return out;
    }
}
