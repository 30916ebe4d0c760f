package io.camelappconnect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The systemd unit the README shows: systemd's own checker takes it, and it runs the jar as the README does. */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("src/main/systemd/camel-app-connect.service");

    @Test
    void theUnitRunsTheReadmesCommandAndRestartsOnFailure() throws Exception {
        String unit = Files.readString(UNIT);
        assertTrue(unit.contains("\nExecStart=/usr/bin/java @config/jvm.options -jar camel-app-connect.jar\n"), unit);
        assertTrue(unit.contains("\nRestart=on-failure\n"), unit);
        assertTrue(Files.readString(Path.of("README.md")).contains("java @config/jvm.options -jar camel-app-connect.jar"));
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
