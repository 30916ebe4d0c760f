package io.camelappconnect.support;

import java.util.Properties;

import io.camelappconnect.AppConfiguration;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;

/**
 * The app in the test's JVM as Main starts it: config/application.properties, routes/*.yaml and AppConfiguration,
 * with a test's settings on top (where its brokers are, its store, its gateway).
 */
public abstract class AppAsConfigured extends CamelMainTestSupport {

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
}
