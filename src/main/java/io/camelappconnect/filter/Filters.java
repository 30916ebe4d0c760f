package io.camelappconnect.filter;

import java.util.List;
import java.util.Set;

import io.camelappconnect.gateway.AppConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;

/**
 * Binds the filter steps the routes call, read from their keys at start (docs/filters.md): {@code deviceFilter} and
 * {@code fieldFilter} from {@code app.filter.*} (the routes to the cloud, the hub or the web server), and
 * {@code <name>DeviceFilter}, {@code <name>FieldFilter} from {@code mqtt.connection.<name>.filter.*} for each declared
 * connection, for routes of the user's own to it. A key left empty filters nothing. A bad entry, or a key under
 * {@code .filter.} that is none of these (a typo would filter nothing), stops the start naming the key.
 */
public final class Filters {

    public static final String APP = "app.filter.";
    private static final String CONNECTION = "mqtt.connection.";
    static final Set<String> KEYS = Set.of("deveui.allow", "deveui.deny", "joineui.allow", "joineui.deny",
            "appeui.allow", "appeui.deny", "fields.include", "fields.exclude", "fields.always");

    private Filters() {
    }

    /** @throws IllegalArgumentException naming the key whose value is not a filter */
    public static void bind(CamelContext context, List<AppConfig.Connection> connections) {
        PropertiesComponent properties = context.getPropertiesComponent();
        Registry registry = context.getRegistry();
        bind(registry, properties, APP, "deviceFilter", "fieldFilter");
        for (AppConfig.Connection c : connections) {
            bind(registry, properties, CONNECTION + c.name() + ".filter.", c.name() + "DeviceFilter",
                    c.name() + "FieldFilter");
        }
    }

    private static void bind(Registry registry, PropertiesComponent properties, String prefix, String devices,
                             String fields) {
        for (String key : properties.loadProperties(k -> k.startsWith(prefix)).stringPropertyNames()) {
            if (!KEYS.contains(key.substring(prefix.length()))) {
                throw new IllegalArgumentException(key + ": not a filter key; under " + prefix + " are "
                        + String.join(", ", KEYS.stream().sorted().toList()) + " (docs/filters.md)");
            }
        }
        registry.bind(devices, deviceFilter(properties, prefix));
        registry.bind(fields, FieldFilter.parse(prefix + "fields.", value(properties, prefix + "fields.include"),
                value(properties, prefix + "fields.exclude"), value(properties, prefix + "fields.always")));
    }

    private static DeviceFilter deviceFilter(PropertiesComponent properties, String prefix) {
        return new DeviceFilter(prefix, eui(properties, prefix + "deveui."), eui(properties, prefix + "joineui."),
                eui(properties, prefix + "appeui."));
    }

    private static EuiFilter eui(PropertiesComponent properties, String prefix) {
        return EuiFilter.parse(prefix + "allow", value(properties, prefix + "allow"), prefix + "deny",
                value(properties, prefix + "deny"));
    }

    private static String value(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).orElse("").trim();
    }
}
