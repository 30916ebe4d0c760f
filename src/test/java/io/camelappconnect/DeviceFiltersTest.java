package io.camelappconnect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.message.Json;
import io.camelappconnect.support.BridgeTestSupport;
import io.camelappconnect.support.EmbeddedBroker;
import io.camelappconnect.support.MqttProbe;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.processor.aggregate.UseOriginalAggregationStrategy;
import org.apache.camel.support.PluginHelper;
import org.awaitility.core.ConditionTimeoutException;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/filters.md end to end: two cloud brokers take different subsets of the same devices. The cloud broker's
 * routes (routes/uplinks.yaml) with {@code app.filter.*}, a declared {@code mqtt.connection.backup} with
 * {@code mqtt.connection.backup.filter.*} and a route file of this test's own that sends uplinks to {@code backup:},
 * as a user writes one. A device kept out costs no WARN.
 */
@Timeout(120)
class DeviceFiltersTest extends BridgeTestSupport {

    private static final String BOTH = "00-80-00-ff-ff-00-00-01";
    private static final String CLOUD_ONLY = "00-80-00-ff-ff-00-00-02";
    private static final String BACKUP_ONLY = "00-80-00-ff-ff-00-00-20";
    private static final String NEITHER = "11-22-33-44-55-66-77-88";

    /**
     * The route file a user adds beside routes/uplinks.yaml (docs/filters.md); the uplink route hands it a copy of
     * each uplink before its own device filter (a multicast that keeps the original: what backup's steps do leaves
     * the cloud's copy alone). No stop here: a stop in a multicast's branch would stop the cloud's uplink too.
     */
    private static final String BACKUP_ROUTE = """
            - route:
                id: uplink-to-backup
                from:
                  uri: "direct:up-backup"
                  steps:
                    - process:
                        ref: backupDeviceFilter
                    - filter:
                        simple: "${exchangeProperty.deviceAllowed}"
                        steps:
                          - process:
                              ref: backupFieldFilter
                          - to:
                              uri: "backup:lorawan/{{gateway.uuid}}/${header.appEui}/${header.devEui}/up"
            """;

    private static EmbeddedBroker backupBroker;

    @BeforeAll
    static void startBackupBroker() {
        backupBroker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBackupBroker() {
        backupBroker.stop();
    }

    @Override
    protected void properties(Properties p) {
        // the cloud: a range of DevEUIs, no RF metadata
        p.setProperty("app.filter.deveui.allow", "[00-80-00-ff-ff-00-00-00, 008000FFFF00000F]");
        p.setProperty("app.filter.fields.exclude", "rssi, rssis, lsnr");
        // the backup: this maker's devices but one, their data only (and lora-mqtt-bridge's always fields)
        p.setProperty("mqtt.connection.backup.url", backupBroker.url());
        p.setProperty("mqtt.connection.backup.filter.deveui.allow", "00-80-00-xx-xx-xx-xx-xx");
        p.setProperty("mqtt.connection.backup.filter.deveui.deny", CLOUD_ONLY.toUpperCase());
        p.setProperty("mqtt.connection.backup.filter.fields.include", "data, port");
    }

    @Test
    void eachBrokerTakesItsOwnSubsetOfTheDevicesAndTheirFields() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("backup-uplinks.yaml", BACKUP_ROUTE));
        // what the user adds to the uplink route of routes/uplinks.yaml, right after deviceEuis (docs/filters.md)
        AdviceWith.adviceWith(context, "uplink", route -> route.weaveByToString(".*deviceFilter.*").before()
                .multicast(new UseOriginalAggregationStrategy()).to("direct:up-backup"));
        awaitConnected("backup");
        String cloudUp = "lorawan/" + GW + "/" + APP + "/%s/up";
        cloud.subscribe("lorawan/" + GW + "/+/+/up", "lorawan/" + GW + "/+/+/joined");
        try (MqttProbe backup = new MqttProbe(backupBroker.url()).subscribe("lorawan/+/+/+/up")) {
            for (String dev : new String[] {NEITHER, BACKUP_ONLY, CLOUD_ONLY, BOTH}) {
                lns.publish("lora/" + APP + "/" + dev + "/up", uplink(APP, dev, 7));
                lns.publish("lora/" + dev + "/joined", "{\"appeui\":\"" + APP + "\",\"joineui\":\"" + APP + "\"}");
            }

            Map<String, String> toCloud = arrivals(cloud, Set.of(String.format(cloudUp, CLOUD_ONLY),
                    String.format(cloudUp, BOTH), "lorawan/" + GW + "/" + APP + "/" + CLOUD_ONLY + "/joined",
                    "lorawan/" + GW + "/" + APP + "/" + BOTH + "/joined"));
            Map<String, String> toBackup = arrivals(backup, Set.of(String.format(cloudUp, BOTH),
                    String.format(cloudUp, BACKUP_ONLY)));

            Map<String, Object> full = fields(uplink(APP, BOTH, 7));
            Map<String, Object> withoutRf = new TreeMap<>(full);
            withoutRf.keySet().removeAll(Set.of("rssi", "rssis", "lsnr"));
            assertEquals(withoutRf, fields(toCloud.get(String.format(cloudUp, BOTH))), "the cloud's fields");
            assertEquals(List.of("time", "port", "data", "appeui", "deveui"),
                    names(toBackup.get(String.format(cloudUp, BACKUP_ONLY))), "the backup's fields, in the LNS's order");
        }
        List<String> warned = log.warnings().stream().filter(w -> w.contains(NEITHER) || w.contains(BACKUP_ONLY)
                || w.contains(CLOUD_ONLY)).toList();
        assertTrue(warned.isEmpty(), "a device filtered out is configuration, not a WARN: " + warned);
    }

    /** Topic to payload of what {@code probe} received: the topics expected, then nothing more for a second. */
    private static Map<String, String> arrivals(MqttProbe probe, Set<String> expected) {
        Map<String, String> got = new TreeMap<>();
        try {
            await().atMost(10, TimeUnit.SECONDS).pollInterval(20, TimeUnit.MILLISECONDS).until(() -> {
                probe.available().forEach(r -> got.put(r.topic(), r.text()));
                return got.keySet().containsAll(expected);
            });
        } catch (ConditionTimeoutException e) {
            fail("expected " + new TreeSet<>(expected) + ", got " + got.keySet());
        }
        probe.drain(1.0).forEach(r -> got.put(r.topic(), r.text()));
        assertEquals(new TreeSet<>(expected), got.keySet(), "these topics and no other");
        return got;
    }

    private static Map<String, Object> fields(String json) throws Exception {
        assertFalse(json == null || json.isEmpty());
        return new TreeMap<>(Json.MAPPER.readValue(json, Map.class));
    }

    private static List<String> names(String json) throws Exception {
        List<String> names = new ArrayList<>();
        Json.MAPPER.readTree(json).fieldNames().forEachRemaining(names::add);
        return names;
    }
}
