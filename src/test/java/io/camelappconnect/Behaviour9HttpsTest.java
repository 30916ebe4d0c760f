package io.camelappconnect;

import java.util.Properties;

import io.camelappconnect.support.HttpModeTestSupport;
import io.camelappconnect.support.TestCertificates;
import io.camelappconnect.support.TestCertificates.Issued;
import io.camelappconnect.support.TestCertificates.Validity;
import io.camelappconnect.support.WebServer;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

import static io.camelappconnect.support.TestCertificates.ip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * behaviour.md 9, TLS: https:// with the PEM options MQTT has (server_cert, client_cert, apikey, check_hostname), here
 * against a web server that wants a client certificate and whose own names 127.0.0.1.
 */
class Behaviour9HttpsTest extends HttpModeTestSupport {

    private static final Issued CA = TestCertificates.ca("camel-app-connect https test CA");
    private static final Issued CLIENT = CA.issue("gateway", TestCertificates.rsa(), Validity.now(),
            KeyPurposeId.id_kp_clientAuth);

    @Override
    protected WebServer startServer() {
        Issued server = CA.issue("web server", TestCertificates.ec(), Validity.now(), KeyPurposeId.id_kp_serverAuth,
                ip("127.0.0.1"));
        return WebServer.startTls(TestCertificates.serverContext(server, CA), true);
    }

    @Override
    protected void properties(Properties p) {
        p.setProperty("app.options.server_cert", CA.certificatePem());
        p.setProperty("app.options.client_cert", CLIENT.certificatePem());
        p.setProperty("app.options.apikey", CLIENT.pkcs8KeyPem());
        p.setProperty("app.options.check_hostname", "true");
    }

    @Test
    void postsGoOverHttpsWithTheClientCertificate() {
        String dev = "00-80-00-00-04-00-05-5a";
        assertTrue(awaitRequests("/init", 1, 10).get(0).path().startsWith(API));

        lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 1));

        assertEquals(API + APP + "/" + dev + "/up", awaitRequests("/up", 1, 10).get(0).path());
        assertTrue(queue().isConnected());
    }
}
