package io.camelappconnect;

import java.util.List;

import io.camelappconnect.support.WithMosquitto;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * behaviour.md 6: backhaul detect is off unless app.backhaulDetect.enabled (config/application.properties as
 * shipped): no downlink in an outage, and the uplinks' call to the stopped route costs them nothing. Real Mosquitto.
 */
@WithMosquitto
class Behaviour6BackhaulDetectOffTest extends BackhaulDetectTestSupport {

    @Test
    void offUnlessEnabled() {
        assertEquals(ServiceStatus.Stopped, context.getRouteController().getRouteStatus("backhaul-detect"));
        lns.subscribe("lora/+/down");
        String dev = DEVICES.get(0);
        cloudDown();

        sendUplink(dev, 1);

        assertNull(lns.next(1.0));
        cloudBack();
        awaitOnCloud(1, List.of(dev));
        assertEquals(List.of(), log.warnings().stream().filter(w -> w.startsWith("ERROR")).toList());
    }
}
