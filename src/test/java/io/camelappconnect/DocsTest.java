package io.camelappconnect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README is the front door: every file of docs/ is linked from it, no relative link in the README or docs/ leads
 * nowhere (file or heading), and every "behaviour.md N" or "N.M" the code, routes, configuration and docs cite is a
 * section docs/behaviour.md has.
 */
@Tag("step")
class DocsTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    /** A Markdown link, {@code [text](target)}. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    /** A citation: behaviour.md (or its link) and its section numbers, {@code behaviour.md 3, 6 and 7}. */
    private static final Pattern CITATION = Pattern.compile(
            "behaviour\\.md(?:\\]\\([^)]*\\))?\\)?((?: \\d+(?:\\.\\d+)?)(?:,? (?:and |or )?\\d+(?:\\.\\d+)?)*)");
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern SECTION = Pattern.compile("^#{2,3} (\\d+(?:\\.\\d+)?)[. ]", Pattern.MULTILINE);

    @Test
    void everyDocsFileIsLinkedFromTheReadme() throws IOException {
        Set<Path> linked = links(README).stream().map(DocsTest::withoutAnchor)
                .map(target -> README.resolveSibling(target).normalize()).collect(Collectors.toSet());
        List<String> missing = docs().stream().filter(doc -> !linked.contains(doc)).map(Path::toString).toList();
        assertTrue(docs().size() > 5, "docs/ was read: " + docs());
        assertTrue(missing.isEmpty(), "docs/ files the README does not link: " + missing);
    }

    @Test
    void everyRelativeLinkNamesAFileAndAHeadingThatExist() throws IOException {
        List<Path> pages = new ArrayList<>(docs());
        pages.add(0, README);
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(page)) {
                if (target.matches("^[a-z]+:.*")) {
                    continue; // https:, mailto: are not the repository's files
                }
                checked++;
                String file = withoutAnchor(target);
                Path to = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                if (!Files.exists(to)) {
                    broken.add(page + ": " + target + " (no file " + to + ")");
                } else if (target.contains("#")
                        && !headingAnchors(to).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(page + ": " + target + " (" + to + " has no such heading)");
                }
            }
        }
        assertTrue(checked > 30, "the links were read: " + checked);
        assertTrue(broken.isEmpty(), String.join("\n", broken));
    }

    @Test
    void everyBehaviourCitationNamesASectionBehaviourMdHas() throws IOException {
        Set<String> sections = new TreeSet<>();
        Matcher s = SECTION.matcher(Files.readString(DOCS.resolve("behaviour.md")));
        while (s.find()) {
            sections.add(s.group(1));
        }
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src", "routes", "config", "docs")) {
            try (Stream<Path> walk = Files.walk(Path.of(root))) {
                walk.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        files.add(README);
        List<String> wrong = new ArrayList<>();
        int cited = 0;
        for (Path file : files) {
            // ISO-8859-1 reads any bytes: a binary resource cites nothing, and a text file's ASCII is what we look for
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            Matcher c = CITATION.matcher(text);
            while (c.find()) {
                Matcher n = NUMBER.matcher(c.group(1));
                while (n.find()) {
                    cited++;
                    if (!sections.contains(n.group())) {
                        wrong.add(file + ": behaviour.md " + n.group() + " (in \"" + c.group().strip() + "\")");
                    }
                }
            }
        }
        System.out.println("DOCS behaviour.md citations: " + cited + " in " + files.size() + " files, sections "
                + sections);
        assertTrue(sections.size() > 10 && cited > 100, "the sections and the citations were read: " + sections);
        assertTrue(wrong.isEmpty(), "sections docs/behaviour.md does not have:\n" + String.join("\n", wrong));
    }

    private static List<Path> docs() throws IOException {
        try (Stream<Path> list = Files.list(DOCS)) {
            return list.filter(p -> p.toString().endsWith(".md")).map(Path::normalize).sorted().toList();
        }
    }

    /** The link targets of a page, leaving out those in code blocks (a shell or YAML example's brackets). */
    private static List<String> links(Path page) throws IOException {
        List<String> targets = new ArrayList<>();
        for (String line : prose(page)) {
            Matcher m = LINK.matcher(line);
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> headingAnchors(Path page) throws IOException {
        Set<String> anchors = new TreeSet<>();
        for (String line : prose(page)) {
            if (line.startsWith("#")) {
                String title = line.replaceFirst("^#+\\s*", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** A page's lines outside fenced code blocks. */
    private static List<String> prose(Path page) throws IOException {
        List<String> lines = new ArrayList<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static String withoutAnchor(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? target : target.substring(0, hash);
    }
}
