package io.camelappconnect;

import java.util.List;
import java.util.Properties;

import io.camelappconnect.support.WithMosquitto;
import org.junit.jupiter.api.Test;

/**
 * behaviour.md 6: the first uplink after each link loss triggers at once. The timeout is long, so a downlink in the
 * second outage can only come from the throttle having forgotten the first one. Real Mosquitto.
 */
@WithMosquitto
class Behaviour6BackhaulDetectResetTest extends BackhaulDetectTestSupport {

    @Override
    protected void properties(Properties p) {
        enable(p, 60);
    }

    @Test
    void aSecondOutageTriggersAtOnceAgain() {
        lns.subscribe("lora/+/down");
        String dev = DEVICES.get(0);

        cloudDown();
        assertDownlinkAtOnce(dev, 1);

        cloudBack();
        // the uplink that triggered the downlink was kept, and reaches the cloud as it was: the downlink reuses its
        // exchange only after its cloud publish
        awaitOnCloud(1, List.of(dev));
        // an uplink that finds the link up: the throttle forgets
        sendUplink(dev, 2);
        awaitOnCloud(2, List.of(dev));

        cloudDown();
        assertDownlinkAtOnce(dev, 3);
    }
}
