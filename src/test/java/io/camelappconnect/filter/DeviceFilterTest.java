package io.camelappconnect.filter;

import java.util.List;
import java.util.Properties;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.ConnectionSettings;
import io.camelappconnect.protocol.DeviceEuis;
import io.camelappconnect.protocol.StepsOnAnExchange;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/filters.md: the device filter step after deviceEuis, its keys read at start (app.filter.*, and a declared
 * connection's mqtt.connection.<name>.filter.*), each of DevEUI, AppEUI and JoinEUI able to keep a device out.
 */
@Tag("step")
class DeviceFilterTest {

    private static final String APP = "8b-6c-f0-8e-ee-df-1b-b6";
    private static final String DEV = "00-80-00-ff-ff-00-00-03";
    private static final String JOIN = "16-ea-76-f6-ab-66-3d-80";
    private static final String UP = "lora/" + APP + "/" + DEV + "/up";

    @ParameterizedTest(name = "{0} = {1}, {2}: allowed {4}")
    @CsvSource(delimiter = '|', textBlock = """
            deveui.allow  | 00-80-00-ff-ff-00-00-xx           | {"joineui":"16-ea-76-f6-ab-66-3d-80"} | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | true
            deveui.deny   | 0080-00FF-FF00-0003               | {}                                    | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | false
            appeui.allow  | 8B:6C:F0:8E:EE:DF:1B:B6           | {}                                    | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | true
            appeui.allow  | 11-11-11-11-11-11-11-11           | {}                                    | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | false
            joineui.allow | 16-ea-76-f6-ab-66-3d-80           | {"joineui":"16EA76F6AB663D80"}        | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | true
            joineui.deny  | 16-ea-xx-xx-xx-xx-xx-xx           | {"joineui":"16-ea-76-f6-ab-66-3d-80"} | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | false
            joineui.allow | 16-ea-76-f6-ab-66-3d-80           | {"appeui":"8b-6c-f0-8e-ee-df-1b-b6"}  | lora/00-80-00-ff-ff-00-00-03/joined                     | false
            joineui.allow | 8b-6c-f0-8e-ee-df-1b-b6           | {"appeui":"8b-6c-f0-8e-ee-df-1b-b6"}  | lora/00-80-00-ff-ff-00-00-03/joined                     | true
            joineui.allow | 8b-6c-f0-8e-ee-df-1b-b6           | ["00-80-00-00-d0-00-01-1a"]           | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/moved | true
            joineui.deny  | 8b-6c-f0-8e-ee-df-1b-b6           | ''                                    | lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/moved | false
            """)
    void eachEuiCanKeepADeviceOut(String key, String value, String payload, String topic, boolean allowed) {
        Exchange exchange = StepsOnAnExchange.arrived(topic, payload);
        new DeviceEuis("").process(exchange);
        filter("app.filter." + key, value).process(exchange);
        assertEquals(allowed, exchange.getProperty(DeviceEuis.ALLOWED));
        assertFalse(exchange.isRouteStop(), "the route, not the step, stops");
    }

    @Test
    void aDeviceOutsideAppEuiStaysOutWhateverTheFilterAllows() {
        Exchange exchange = StepsOnAnExchange.arrived(UP, "{}");
        new DeviceEuis("11-11-11-11-11-11-11-11").process(exchange);
        filter("app.filter.deveui.allow", DEV).process(exchange);
        assertEquals(false, exchange.getProperty(DeviceEuis.ALLOWED));
    }

    @Test
    void theJsonIsReadOnlyForAJoinEuiFilter() {
        Exchange exchange = StepsOnAnExchange.arrived(UP, "not JSON: uplinkData says so later");
        new DeviceEuis("").process(exchange);
        filter("app.filter.deveui.allow", DEV).process(exchange);
        assertEquals(true, exchange.getProperty(DeviceEuis.ALLOWED));
    }

    @Test
    void theStepsAreBoundForTheAppAndEachDeclaredConnection() throws Exception {
        DefaultCamelContext context = context(
                "app.filter.deveui.deny", DEV,
                "mqtt.connection.backup.filter.appeui.allow", "11-11-11-11-11-11-11-11",
                "mqtt.connection.backup.filter.fields.include", "data");
        Filters.bind(context, List.of(connection("backup"), connection("other")));
        assertEquals(false, allowed(context, "deviceFilter"));
        assertEquals(false, allowed(context, "backupDeviceFilter"));
        assertEquals(true, allowed(context, "otherDeviceFilter"), "no key: no filter");
        assertTrue(((FieldFilter) context.getRegistry().lookupByName("fieldFilter")).isEmpty());
        assertFalse(((FieldFilter) context.getRegistry().lookupByName("backupFieldFilter")).isEmpty());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            app.filter.deveui.alow                     | 00-80-00-ff-ff-00-00-03 | app.filter.deveui.alow: not a filter key
            app.filter.devEUI.allow                    | 00-80-00-ff-ff-00-00-03 | app.filter.devEUI.allow: not a filter key
            mqtt.connection.backup.filter.fields       | data                    | mqtt.connection.backup.filter.fields: not a filter key
            app.filter.appeui.deny                     | 8b-6c                   | app.filter.appeui.deny: '8b-6c': not an EUI
            mqtt.connection.backup.filter.deveui.allow | [1,2]                   | mqtt.connection.backup.filter.deveui.allow: '[1,2]': '1' is not an EUI
            mqtt.connection.backup.filter.fields.exclude | rssi,               | mqtt.connection.backup.filter.fields.exclude: '': an empty entry
            """)
    void aBadKeyOrValueStopsTheStartNamingTheKey(String key, String value, String message) {
        DefaultCamelContext context = context(key, value);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Filters.bind(context, List.of(connection("backup"))));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    private static boolean allowed(DefaultCamelContext context, String step) throws Exception {
        Exchange exchange = StepsOnAnExchange.arrived(UP, "{\"joineui\":\"" + JOIN + "\"}");
        new DeviceEuis("").process(exchange);
        context.getRegistry().lookupByNameAndType(step, Processor.class).process(exchange);
        return exchange.getProperty(DeviceEuis.ALLOWED, Boolean.class);
    }

    private static DeviceFilter filter(String key, String value) {
        DefaultCamelContext context = context(key, value);
        Filters.bind(context, List.of());
        return (DeviceFilter) context.getRegistry().lookupByName("deviceFilter");
    }

    /** Never started: its properties and registry only. */
    private static DefaultCamelContext context(String... keysAndValues) {
        DefaultCamelContext context = new DefaultCamelContext();
        Properties p = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        return context;
    }

    private static AppConfig.Connection connection(String name) {
        return new AppConfig.Connection(name, "tcp://127.0.0.1:1", "", "afterRoute", ConnectionSettings.DEFAULTS);
    }
}
