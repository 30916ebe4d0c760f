package io.camelappconnect.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.x509.KeyPurposeId;

/** The Azure IoT Hub stand-in's HiveMQ configuration: TLS listeners only, with a server certificate for the hub. */
final class AzureHubBrokerConfig {

    private static final String KEYSTORE_PASSWORD = "stand-in";

    private AzureHubBrokerConfig() {
    }

    /** Writes conf/config.xml (MQTT and WebSocket over TLS on the given ports) and its keystore under {@code dir}. */
    static void write(Path dir, String hostName, TestCertificates.Issued ca, int port, int webSocketPort)
            throws IOException {
        Files.createDirectories(dir.resolve("conf"));
        Files.createDirectories(dir.resolve("extensions")); // else HiveMQ WARNs that it can't use the folder
        Path keystore = keystore(dir.resolve("hub.jks"), hostName, ca);
        Files.writeString(dir.resolve("conf/config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tls-tcp-listener>
                            <port>%d</port><bind-address>127.0.0.1</bind-address>
                            <tls><keystore><path>%s</path><password>%s</password>
                                <private-key-password>%s</private-key-password></keystore></tls>
                        </tls-tcp-listener>
                        <tls-websocket-listener>
                            <port>%d</port><bind-address>127.0.0.1</bind-address><path>/$iothub/websocket</path>
                            <tls><keystore><path>%s</path><password>%s</password>
                                <private-key-password>%s</private-key-password></keystore></tls>
                        </tls-websocket-listener>
                    </listeners>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, keystore, KEYSTORE_PASSWORD, KEYSTORE_PASSWORD, webSocketPort, keystore,
                KEYSTORE_PASSWORD, KEYSTORE_PASSWORD));
    }

    private static Path keystore(Path file, String hostName, TestCertificates.Issued ca) {
        TestCertificates.Issued server = ca.issue(hostName, TestCertificates.ec(), TestCertificates.Validity.now(),
                KeyPurposeId.id_kp_serverAuth, TestCertificates.dns(hostName), TestCertificates.ip("127.0.0.1"));
        try (OutputStream out = Files.newOutputStream(file)) {
            KeyStore keys = KeyStore.getInstance("JKS");
            keys.load(null, null);
            keys.setKeyEntry("hub", server.keys().getPrivate(), KEYSTORE_PASSWORD.toCharArray(),
                    new X509Certificate[] {server.certificate(), ca.certificate()});
            keys.store(out, KEYSTORE_PASSWORD.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
