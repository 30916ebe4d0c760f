package io.camelappconnect.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import io.camelappconnect.AppConfiguration;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * The app in the test's JVM as Main starts it: config/application.properties, routes/*.yaml and AppConfiguration,
 * with a test's settings on top (where its brokers are, its store, its gateway).
 */
public abstract class AppAsConfigured extends CamelMainTestSupport {

    private Path storeDir;

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:config/application.properties";
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(AppConfiguration.class);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        settings(p);
        return p;
    }

    /** The settings this kind of test runs the app with. */
    protected abstract void settings(Properties p);

    /** This test's own store (behaviour.md 7): nothing kept by one test is sent in another. */
    protected Path storeDir() {
        if (storeDir == null) {
            try {
                storeDir = Files.createTempDirectory("store");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return storeDir;
    }

    /**
     * Only where the time itself is the point (how long a fault lasts, a check that nothing comes meanwhile); a wait
     * for something to happen goes through Awaitility, with a deadline.
     */
    protected static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
