package io.camelappconnect.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * issue 23, "a broker-less route test for every route id and template": every route id, template id and templated
 * routeId of routes/*.yaml is one a route test of this package runs, through {@link RouteTestSupport#route} or
 * {@code AdviceWith.adviceWith(context, "id", ...)}. A template counts through its templated routes, or through a
 * route made from it for a LENS application network ({@code <template>-<connection>}). The ids come from the test
 * sources with their comments taken out, so an id named only in a comment is no test.
 */
@Tag("step")
class EveryRouteIdHasARouteTest {

    /** The ids with no route test yet: this list only shrinks (the test fails when one of them gets a test). */
    private static final Set<String> NOT_YET_COVERED = Set.of(
            "api-method", "app-close", "app-down", "app-down-cloud", "app-init", "app-joined", "app-joined-cloud",
            "app-moved", "app-moved-cloud", "app-up", "app-up-cloud", "appnet-list", "backhaul-detect", "clear-method",
            "direct-method", "down-method", "downlinks-from-server", "hub-c2d", "hub-c2d-cloud", "hub-clear",
            "hub-close", "hub-close-cloud", "hub-down", "hub-init", "hub-init-cloud", "hub-joined", "hub-joined-cloud",
            "hub-moved", "hub-moved-cloud", "hub-up", "hub-up-cloud", "hub-uplink", "joined-post",
            "joined-to-cloud-api10", "joined-to-hub", "log-method", "lora-method", "method", "method-answer",
            "moved-to-cloud-api10", "moved-to-hub", "server-close", "server-close-server", "server-init",
            "server-init-server", "server-joined", "server-moved", "server-up", "uplink-api10", "uplink-post");

    private static final Path ROUTES = Path.of("routes");
    private static final Path TESTS = Path.of("src/test/java/io/camelappconnect/routes");
    private static final Pattern EXERCISED = Pattern.compile(
            "(?:\\broute|\\badviceWith)\\(\\s*(?:context\\s*,\\s*)?\"([^\"]+)\"");

    @Test
    void everyRouteIdAndTemplateHasARouteTestAndTheNotYetCoveredListIsTrue() {
        Set<String> exercised = exercised();
        Set<String> untested = new TreeSet<>();
        Set<String> ids = new TreeSet<>();
        for (Map<?, ?> entry : entries()) {
            Map<?, ?> route = first(entry, "route", "routeTemplate", "templatedRoute");
            if (route == null) {
                continue; // a routeConfiguration: it is tested through the routes it applies to
            }
            String id = (String) (entry.containsKey("templatedRoute") ? route.get("routeId") : route.get("id"));
            assertTrue(id != null, "every route has an id: " + entry);
            ids.add(id);
            boolean tested = exercised.contains(id) || entry.containsKey("routeTemplate")
                    && exercised.stream().anyMatch(e -> e.startsWith(id + "-") || templatedRoutes(id).contains(e));
            if (!tested) {
                untested.add(id);
            }
        }
        assertTrue(ids.size() > 40, "the route files read: " + ids);
        assertEquals(new TreeSet<>(NOT_YET_COVERED), untested,
                "the ids with no route test (listed ones that now have one: take them off NOT_YET_COVERED)");
    }

    @Test
    void anIdNamedOnlyInACommentIsNoTest() {
        String source = "// route(\"a\")\n/* route(\"b\") */ String s = \"// route(\\\"c\\\")\"; route(\"d\");"
                + " AdviceWith.adviceWith(context, \"e\", a -> {});";
        assertEquals(Set.of("d", "e"), ids(withoutComments(source)));
    }

    /** The ids the tests of this package run, read from their sources without comments. */
    private static Set<String> exercised() {
        try (Stream<Path> files = Files.list(TESTS)) {
            Set<String> ids = new TreeSet<>();
            files.filter(f -> f.toString().endsWith("RoutesTest.java")).forEach(f -> {
                try {
                    ids.addAll(ids(withoutComments(Files.readString(f))));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> ids(String code) {
        Set<String> ids = new TreeSet<>();
        Matcher m = EXERCISED.matcher(code);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** Java source with its // and block comments left out; string and char literals kept as they are. */
    static String withoutComments(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                i = source.indexOf('\n', i) < 0 ? source.length() : source.indexOf('\n', i);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
            } else if (c == '"' || c == '\'') {
                int end = i + 1; // a literal to its closing quote, past escaped ones
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                code.append(source, i, Math.min(end + 1, source.length()));
                i = end + 1;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    /** The routeIds of the templated routes of routes/*.yaml made from {@code template}. */
    private static Set<String> templatedRoutes(String template) {
        Set<String> ids = new TreeSet<>();
        for (Map<?, ?> entry : entries()) {
            if (entry.get("templatedRoute") instanceof Map<?, ?> t && template.equals(t.get("routeTemplateRef"))) {
                ids.add((String) t.get("routeId"));
            }
        }
        return ids;
    }

    /** Every top-level entry of every routes/*.yaml. */
    static List<Map<?, ?>> entries() {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().flatMap(f -> {
                try {
                    Object doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
                    return ((List<?>) doc).stream().<Map<?, ?>>map(e -> (Map<?, ?>) e);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<?, ?> first(Map<?, ?> entry, String... kinds) {
        for (String kind : kinds) {
            if (entry.get(kind) instanceof Map<?, ?> m) {
                return m;
            }
        }
        return null;
    }
}
