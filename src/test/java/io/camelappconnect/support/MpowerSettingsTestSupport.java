package io.camelappconnect.support;

import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The bridge with {@code app.source=mpower}: its app.* settings from a stand-in of mPower's API, which a test class
 * gives the Cloud Connector settings to answer ({@link MpowerApiStandIn#defaultApp}) in a {@code @BeforeAll} of its own.
 */
public abstract class MpowerSettingsTestSupport extends BridgeTestSupport {

    protected static MpowerApiStandIn api;

    @BeforeAll
    static void startMpower() {
        api = MpowerApiStandIn.start();
    }

    @AfterAll
    static void stopMpower() {
        api.close();
    }

    @Override
    protected void properties(Properties p) {
        p.remove("app.url"); // only mPower has it
        p.setProperty("app.source", "mpower");
        p.setProperty("mpower.url", api.url());
    }
}
