package io.camelappconnect;

/**
 * Runs the bridge: {@code config/application.properties} and {@code routes/*.yaml} are read from the working
 * directory, so a user edits them on the gateway without a build.
 */
public final class Main {

    private Main() {
    }

    public static void main(String... args) throws Exception {
        org.apache.camel.main.Main main = new org.apache.camel.main.Main();
        // the user's file first; a key it lacks (a file from an older release) comes from this release's copy
        main.setPropertyPlaceholderLocations(
                "file:config/application.properties,classpath:io/camelappconnect/application.properties");
        main.configure().addConfiguration(AppConfiguration.class);
        main.run(args);
    }
}
