package io.camelappconnect;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.support.HttpModeTestSupport;
import io.camelappconnect.support.TestCertificates;
import io.camelappconnect.support.TestCertificates.Issued;
import io.camelappconnect.support.TestCertificates.Validity;
import io.camelappconnect.support.WebServer;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.TestCertificates.ip;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 9, TLS refused: a web server whose certificate comes from a CA server_cert does not name is not
 * posted to; the WARN says what to fix, in the web server's words, and what waits is kept.
 */
class Behaviour9HttpsUntrustedTest extends HttpModeTestSupport {

    @Override
    protected WebServer startServer() {
        Issued otherCa = TestCertificates.ca("a CA the gateway does not know");
        Issued server = otherCa.issue("web server", TestCertificates.ec(), Validity.now(),
                KeyPurposeId.id_kp_serverAuth, ip("127.0.0.1"));
        return WebServer.startTls(TestCertificates.serverContext(server, otherCa), false);
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.options.server_cert", TestCertificates.ca("the gateway's CA").certificatePem());
    }

    @Test
    void aServerCertificateFromAnUnknownCaIsAWarnSayingWhatToFixAndNothingIsPosted() {
        await().atMost(10, TimeUnit.SECONDS).until(() -> log.warnings().stream().anyMatch(w ->
                w.contains("TLS: the web server's certificate is not signed by a CA we trust")
                        && w.contains("app.options.server_cert")));
        assertTrue(server.requests().isEmpty(), "nothing reached the server");
        assertFalse(queue().isConnected());
    }
}
