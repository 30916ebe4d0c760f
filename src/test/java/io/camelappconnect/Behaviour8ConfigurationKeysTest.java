package io.camelappconnect;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 8: every key of config/application.properties (the one place a default is written) has a row in the
 * key table of docs/configuration.md, every row names keys the file has, and each row's default is the file's value.
 */
@Tag("step")
class Behaviour8ConfigurationKeysTest {

    /** A table row: {@code | `app.options.username`, `.password` | empty | ... |}. */
    private static final Pattern ROW = Pattern.compile("^\\| (`[^|]+`) \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");

    @Test
    void theDocumentedKeyTableAndTheDefaultsAgree() throws IOException {
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("config/application.properties"))) {
            file.load(in);
        }
        Map<String, String> documented = documentedDefaults();
        List<String> wrong = new ArrayList<>();
        for (String key : new TreeSet<>(file.stringPropertyNames())) {
            if (!key.startsWith("camel.") && !documented.containsKey(key)) {
                wrong.add(key + ": in config/application.properties, not in docs/configuration.md's key table");
            }
        }
        documented.forEach((key, value) -> {
            if (!file.containsKey(key)) {
                wrong.add(key + ": in docs/configuration.md's key table, not in config/application.properties");
            } else if (!file.getProperty(key).equals(value)) {
                wrong.add(key + ": docs/configuration.md says '" + value + "', config/application.properties '"
                        + file.getProperty(key) + "'");
            }
        });
        System.out.println("KEYS compared: " + documented.size() + " rows' keys against "
                + file.stringPropertyNames().stream().filter(k -> !k.startsWith("camel.")).count() + " keys of the file");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(documented.size() > 50, "the table was read: " + documented.keySet());
    }

    /**
     * Key to its default as the key table of docs/configuration.md gives it. A row may name several keys (`a.b`, `.c`:
     * a.c) with as many backticked defaults, or one for all of them; "empty", "(none ...)", and a default worked out at start ("from ...",
     * "asked from ...", a value with {@code <GW-UUID>}) are an empty value in the file. Rows of a connection of the
     * user's own ({@code mqtt.connection.<name>.*}) have their defaults in the class that reads them.
     */
    private static Map<String, String> documentedDefaults() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        int start = doc.indexOf("\n## The keys\n");
        assertTrue(start >= 0, "docs/configuration.md has a section 'The keys'");
        int end = doc.indexOf("\n## ", start + 1);
        String table = doc.substring(start, end < 0 ? doc.length() : end);
        Map<String, String> defaults = new LinkedHashMap<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            List<String> keys = new ArrayList<>();
            Matcher k = CODE.matcher(row.group(1));
            while (k.find()) {
                String name = k.group(1);
                keys.add(name.startsWith(".") ? keys.get(0).substring(0, keys.get(0).lastIndexOf('.')) + name : name);
            }
            if (keys.get(0).contains("<name>")) {
                continue;
            }
            String column = row.group(2).trim();
            List<String> values = new ArrayList<>();
            Matcher v = CODE.matcher(column);
            while (v.find()) {
                values.add(v.group(1));
            }
            boolean computed = column.startsWith("empty") || column.startsWith("(none") || column.startsWith("from ")
                    || column.startsWith("asked from") || values.stream().anyMatch(value -> value.contains("<"));
            for (int i = 0; i < keys.size(); i++) {
                if (computed) {
                    defaults.put(keys.get(i), "");
                } else {
                    assertTrue(values.size() == keys.size() || values.size() == 1,
                            "a default for each key of the row " + keys + ", or one for all: " + values);
                    defaults.put(keys.get(i), values.get(values.size() == 1 ? 0 : i));
                }
            }
        }
        return defaults;
    }
}
