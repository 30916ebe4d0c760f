package io.camelappconnect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 23: the packages of src/main/java form layers (operations, message, store and tls at the bottom, then mqtt,
 * request, gateway, protocol, the app's edges), read from the import lines: a cycle fails naming it.
 */
@Tag("step")
class PackagesWithoutCyclesTest {

    private static final String APP = "io.camelappconnect";
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void theMainPackagesImportEachOtherWithoutACycle() throws IOException {
        Map<String, Set<String>> graph = graph(Path.of("src/main/java"));
        assertTrue(graph.size() > 5, "read " + graph.keySet());
        List<String> cycle = cycle(graph);
        assertTrue(cycle.isEmpty(), () -> "the packages import each other in a cycle: " + String.join(" -> ", cycle)
                + "; the package graph: " + graph);
    }

    @Test
    void aCycleIsFoundAndNamed() {
        Map<String, Set<String>> graph = new TreeMap<>(Map.of(
                "gateway", Set.of("message"), "message", Set.of(),
                "mqtt", Set.of("operations"), "operations", Set.of("protocol"), "protocol", Set.of("gateway", "mqtt")));
        assertEquals(List.of("mqtt", "operations", "protocol", "mqtt"), cycle(graph));
        graph.put("protocol", Set.of("gateway"));
        assertEquals(List.of(), cycle(graph));
    }

    @Test
    void anImportNamesItsPackageEvenForANestedClassOrAStaticMember() {
        assertEquals("store", packageOf(APP + ".store.MessageStore.Kept"));
        assertEquals("message", packageOf(APP + ".message.Json.parse"));
        assertEquals("", packageOf(APP + ".AppConfiguration"));
    }

    /** Each package of the app (named without {@code io.camelappconnect.}) to the app's packages it imports. */
    static Map<String, Set<String>> graph(Path sources) throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher declared = PACKAGE.matcher(text);
                if (!declared.find() || !(declared.group(1) + ".").startsWith(APP + ".")) {
                    continue;
                }
                String from = packageOf(declared.group(1) + ".X");
                Set<String> to = graph.computeIfAbsent(from, p -> new TreeSet<>());
                for (Matcher imported = IMPORT.matcher(text); imported.find(); ) {
                    if (imported.group(1).startsWith(APP + ".")) {
                        String target = packageOf(imported.group(1));
                        if (!target.equals(from)) {
                            to.add(target);
                        }
                    }
                }
            }
        }
        return graph;
    }

    /** The package of an imported name: its lower-case segments after {@code io.camelappconnect}. */
    static String packageOf(String name) {
        List<String> segments = new ArrayList<>();
        for (String segment : name.substring(APP.length() + 1).split("\\.")) {
            if (Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            segments.add(segment);
        }
        return String.join(".", segments);
    }

    /** The first cycle a depth-first walk meets, from its first package back to it; empty when there is none. */
    static List<String> cycle(Map<String, Set<String>> graph) {
        Set<String> done = new HashSet<>();
        for (String start : graph.keySet()) {
            List<String> found = cycleFrom(start, graph, new ArrayDeque<>(), done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        return List.of();
    }

    private static List<String> cycleFrom(String node, Map<String, Set<String>> graph, Deque<String> path,
                                          Set<String> done) {
        if (path.contains(node)) {
            List<String> walked = new ArrayList<>(path); // the deque's newest first
            Collections.reverse(walked);
            List<String> cycle = new ArrayList<>(walked.subList(walked.indexOf(node), walked.size()));
            cycle.add(node);
            return cycle;
        }
        if (!done.add(node)) {
            return List.of();
        }
        path.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> found = cycleFrom(next, graph, path, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.pop();
        return List.of();
    }
}
