package io.camelappconnect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.AppnetsStandIn;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.Mosquitto;
import io.camelappconnect.support.TestSecrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 10, and issue 20 (never silent, and say what to fix): a LENS application network that can't connect
 * is said, in its WARN and its health cause, with the hint naming the settings of its own entry in the LENS list
 * ({@code url}, {@code options}), not the default app's {@code app.url} and {@code app.options.*}, which are fine.
 * Application A's broker (a real Mosquitto with a password file) refuses its password; application B names a host
 * that does not exist. The default app goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Behaviour10LensConnectionHintsTest extends BridgeTestSupport {

    private static final String APP_A = "aa-aa-aa-aa-aa-aa-aa-01";
    private static final String APP_B = "bb-bb-bb-bb-bb-bb-bb-02";
    private static final String PASSWORD = TestSecrets.APP_PASSWORD;

    private static Mosquitto withLogin;
    private static AppnetsStandIn lens;

    @BeforeAll
    static void aBrokerWithALoginAndTheLensList() throws IOException {
        // started as root, Mosquitto would drop to its own user, which cannot read the test's password file
        withLogin = Mosquitto.start((port, dir) -> "user root\nlistener " + port + " 127.0.0.1\npassword_file "
                + Mosquitto.passwordFile(dir, "lens-user", PASSWORD) + "\nallow_anonymous false\n");
        lens = AppnetsStandIn.create();
    }

    @AfterAll
    static void stopIt() {
        withLogin.stop();
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.apiVersion", "1.0");
        p.setProperty("loraQuery.command", lens.command().toString());
        try {
            Files.writeString(lens.dir().resolve("list.json"), "[{\"eui\":\"AAAAAAAAAAAAAA01\",\"url\":\""
                    + withLogin.url() + "\",\"options\":{\"username\":\"lens-user\",\"password\":\"not " + PASSWORD
                    + "\"}},{\"eui\":\"BBBBBBBBBBBBBB02\",\"url\":\"tcp://no-such-host.invalid:1883\",\"options\":{}}]");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aLensApplicationThatCantConnectIsToldWithItsOwnOptions() {
        String a = "application network " + APP_A + " option ";
        String login = log.await(20, "app-aaaaaaaaaaaaaa01: cannot connect to " + withLogin.url(),
                "the broker refused the login", "check the user name and password, " + a + "username and " + a
                        + "password");
        assertNotNull(login, "the WARN naming A's own options: " + log.warnings());
        String host = log.await(20, "app-bbbbbbbbbbbbbb02: cannot connect to tcp://no-such-host.invalid:1883",
                "unknown host", "check application network " + APP_B + " url and the gateway's DNS");
        assertNotNull(host, "the WARN naming B's url: " + log.warnings());
        System.out.println("LENS " + login + "\nLENS " + host);
        for (String warn : new String[] {login, host}) {
            assertFalse(warn.contains("app.options") || warn.contains("app.url"), warn);
            assertFalse(warn.contains(PASSWORD), warn);
        }
        // health's cause is the same words (BrokersHealthCheck: "<name>: <last cause>")
        assertTrue(broker("app-aaaaaaaaaaaaaa01").state().lastCause().contains(a + "password"),
                broker("app-aaaaaaaaaaaaaa01").state().lastCause());
        assertTrue(broker("app-bbbbbbbbbbbbbb02").state().lastCause().contains("application network " + APP_B + " url"),
                broker("app-bbbbbbbbbbbbbb02").state().lastCause());
        awaitConnected("cloud");
    }
}
