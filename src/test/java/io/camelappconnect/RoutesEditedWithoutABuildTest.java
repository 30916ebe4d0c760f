package io.camelappconnect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.camelappconnect.support.AppProcess;
import io.camelappconnect.support.AppProcessTestSupport;
import io.camelappconnect.support.MqttProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.camelappconnect.support.BridgeTestSupport.APP;
import static io.camelappconnect.support.BridgeTestSupport.GW;
import static io.camelappconnect.support.BridgeTestSupport.uplink;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user edits a route on the gateway, here one step that adds a field to every uplink, and restarts the app: the
 * jar is the same, no build. An uplink that comes while the app restarts waits in the LNS broker's session and goes
 * out through the edited route.
 */
class RoutesEditedWithoutABuildTest extends AppProcessTestSupport {

    private static final String DEV = "00-80-00-ff-ff-00-00-61";
    private static final String LNS_UP = "lora/" + APP + "/" + DEV + "/up";
    private static final String UP = "lorawan/" + GW + "/" + APP + "/" + DEV + "/up";

    @TempDir
    Path routes;

    @Test
    void anEditedUplinkRouteTakesEffectAtTheNextStart() throws Exception {
        try (var dir = Files.list(Path.of("routes"))) {
            for (Path route : dir.toList()) {
                Files.copy(route, routes.resolve(route.getFileName()));
            }
        }
        Map<String, String> fromTheCopy = Map.of("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml");
        try (MqttProbe cloud = new MqttProbe(cloudBroker.url()).subscribe(UP);
             MqttProbe lns = new MqttProbe(lnsBroker.url())) {
            try (AppProcess app = startApp(fromTheCopy)) {
                app.await(20, "lns: connected");
                lns.publish(LNS_UP, uplink(APP, DEV, 1));
                MqttProbe.Received before = cloud.next(UP, 10);
                assertNotNull(before, "forwarded before the edit");
                assertFalse(before.text().contains("\"site\""), before.text());
                app.terminate(); // SIGTERM, as the user restarting it does
            }

            Path uplinks = routes.resolve("uplinks.yaml");
            String yaml = Files.readString(uplinks);
            String step = "        - process:\n            ref: uplinkData\n";
            int at = yaml.indexOf(step);
            assertTrue(at > 0, "the uplink route has its uplinkData step");
            Files.writeString(uplinks, yaml.substring(0, at + step.length())
                    + "        - transform:\n            jq: '{site: \"north\"} + .'\n"
                    + yaml.substring(at + step.length()));
            lns.publish(LNS_UP, uplink(APP, DEV, 2)); // while the app is down

            try (AppProcess app = startApp(fromTheCopy)) {
                MqttProbe.Received after = cloud.next(UP, 20);
                assertNotNull(after, "the uplink sent while the app was down; the app wrote:\n" + app.output());
                assertTrue(after.text().startsWith("{\"site\":\"north\",\"jver\":1,"), after.text());
                assertTrue(after.text().contains("\"fcnt\":2,"), after.text());
            }
        }
    }
}
