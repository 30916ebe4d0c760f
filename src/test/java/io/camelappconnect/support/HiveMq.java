package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * HiveMQ Community Edition, embedded, on a free loopback port: a second real broker besides Mosquitto, the one the
 * big clouds' brokers resemble most (its own MQTT stack, in Java). It lets every client in, as a cloud broker with an
 * allow-all extension does; in memory, so a restart forgets sessions and retained messages.
 */
public final class HiveMq implements TestBroker {

    private final int port = EmbeddedBroker.freePort();
    private final Path dir;
    private final ExtensionMain extension;
    private EmbeddedHiveMQ broker;

    private HiveMq(ExtensionMain extension) throws IOException {
        this.extension = extension;
        dir = Files.createTempDirectory("hivemq");
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                    </listeners>
                    <persistence><mode>in-memory</mode></persistence>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
    }

    public static HiveMq start() {
        return start(new AllowAll());
    }

    /** With a test's own extension in place of the allow-all one (it must set an authenticator, as that one does). */
    public static HiveMq start(ExtensionMain extension) {
        try {
            HiveMq h = new HiveMq(extension);
            h.restart();
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void restart() {
        broker = EmbeddedHiveMQ.builder().withConfigurationFolder(dir.resolve("conf")).withDataFolder(dir.resolve("data"))
                .withExtensionsFolder(dir.resolve("extensions")).withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("allow-all").withName("allow all")
                        .withVersion("1").withAuthor("tests").withPriority(0).withStartPriority(1000)
                        .withExtensionMain(extension).build())
                .build();
        try {
            broker.start().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("HiveMQ did not start: " + e, e);
        }
    }

    @Override
    public void stop() {
        if (broker != null) {
            try {
                broker.stop().get(30, TimeUnit.SECONDS);
                broker.close();
            } catch (Exception e) {
                throw new IllegalStateException("HiveMQ did not stop: " + e, e);
            }
            broker = null;
        }
    }

    private static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(
                    in -> (SimpleAuthenticator) (connect, result) -> result.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        }
    }
}
