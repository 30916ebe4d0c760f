package io.camelappconnect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The systemd unit docs/operations.md installs: systemd's own checker takes it, it runs the jar as the README's command
 * does, and it does what that page's "As a systemd service" says of it.
 */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("src/main/systemd/camel-app-connect.service");

    @Test
    void theUnitRunsTheReadmesCommandAndDoesWhatTheDocsSay() throws Exception {
        String unit = Files.readString(UNIT);
        assertTrue(unit.contains("\nExecStart=/usr/bin/java @config/jvm.options -jar camel-app-connect.jar\n"), unit);
        assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
        assertTrue(Files.readString(Path.of("README.md")).contains("java @config/jvm.options -jar camel-app-connect.jar"));
        String docs = Files.readString(Path.of("docs/operations.md"));
        int at = docs.indexOf("\n## As a systemd service\n");
        assertTrue(at >= 0, "docs/operations.md has 'As a systemd service'");
        int end = docs.indexOf("\n## ", at + 1);
        String section = docs.substring(at, end < 0 ? docs.length() : end);
        assertTrue(section.contains("(../" + UNIT + ")"), "the section links the unit: " + section);
        assertTrue(unit.contains("\nWorkingDirectory=/opt/camel-app-connect\n")
                && section.contains("from `/opt/camel-app-connect`"), "the directory it says is the unit's");
        assertTrue(unit.contains("\nRestartSec=5\n") && section.contains("restarts on failure after 5 s"),
                "the restart it says is the unit's");
        assertTrue(section.contains("cp src/main/systemd/camel-app-connect.service /etc/systemd/system/"), section);
    }

    @Test
    void systemdAnalyzeVerifiesIt() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed");
        Process p = new ProcessBuilder(analyze.toString(), "verify", UNIT.toAbsolutePath().toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "systemd-analyze verify did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.strip(), "systemd-analyze verify has complaints");
    }
}
