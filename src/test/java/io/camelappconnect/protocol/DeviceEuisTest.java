package io.camelappconnect.protocol;

import io.camelappconnect.message.BadMessage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.camelappconnect.protocol.StepsOnAnExchange.arrived;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 2: which device an LNS message is about, and the app.eui filter. */
@Tag("step")
class DeviceEuisTest {

    private static final String APP = "8b-6c-f0-8e-ee-df-1b-b6";
    private static final String DEV = "00-80-00-ff-ff-00-00-03";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            lora/8b-6c-f0-8e-ee-df-1b-b6/00-80-00-ff-ff-00-00-03/up | {}
            lora/8B6CF08EEEDF1BB6/0080-00FF-FF00-0003/up             | {}
            lora/8b:6c:f0:8e:ee:df:1b:b6/00800000ffff0003/moved      | {}
            lora/00-80-00-ff-ff-00-00-03/up                         | {"appeui":"8b6cf08eeedf1bb6"}
            lora/0080-00FF-FF00-0003/joined                         | {"appeui":"8B-6C-F0-8E-EE-DF-1B-B6","x":1}
            """)
    void euisFromTheTopicOrTheJsonNormalised(String topic, String payload) {
        Exchange exchange = arrived(topic, payload);
        new DeviceEuis("").process(exchange);
        assertEquals(APP, exchange.getMessage().getHeader(DeviceEuis.APP_EUI));
        assertEquals(topic.contains("00800000ffff0003") ? "00-80-00-00-ff-ff-00-03" : DEV,
                exchange.getMessage().getHeader(DeviceEuis.DEV_EUI));
        assertEquals(false, exchange.isRouteStop());
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            lora/00-80-00-ff-ff-00-00-03/up     | {"data":"QA=="}  | must carry 'appeui'
            lora/00-80-00-ff-ff-00-00-03/joined | not json         | JSON
            lora/x/00-80-00-ff-ff-00-00-03/up   | {}               | x
            lora/up                             | {}               | not a device's topic
            lora/a/b/c/up                       | {}               | not a device's topic
            """)
    void refusedWithTheReason(String topic, String payload, String reason) {
        BadMessage e = assertThrows(BadMessage.class, () -> new DeviceEuis("").process(arrived(topic, payload)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** The step decides, the route acts: it never stops the route itself, and the headers are set either way. */
    @ParameterizedTest(name = "filter {0}: {1} forwarded {2}")
    @CsvSource(delimiter = '|', textBlock = """
            8b-6c-f0-8e-ee-df-1b-b6 | lora/8B6CF08EEEDF1BB6/00-80-00-ff-ff-00-00-03/up | true
            8b-6c-f0-8e-ee-df-1b-b6 | lora/11-11-11-11-11-11-11-11/00-80-00-ff-ff-00-00-03/up | false
            ''                      | lora/11-11-11-11-11-11-11-11/00-80-00-ff-ff-00-00-03/up | true
            """)
    void theAppEuiFilterMarksOtherDevicesNotAllowed(String filter, String topic, boolean forwarded) {
        Exchange exchange = arrived(topic, "{}");
        new DeviceEuis(filter).process(exchange);
        assertEquals(forwarded, exchange.getProperty(DeviceEuis.ALLOWED));
        assertFalse(exchange.isRouteStop(), "the route, not the step, stops");
        assertEquals(DEV, exchange.getMessage().getHeader(DeviceEuis.DEV_EUI));
    }

    @ParameterizedTest(name = "{0} of a LENS application network: allowed")
    @CsvSource({"11-11-11-11-11-11-11-11"})
    void aLensApplicationsDevicePassesTheAppEuiFilter(String app) {
        Exchange exchange = arrived("lora/" + app + "/" + DEV + "/up", "{}");
        new DeviceEuis("8b-6c-f0-8e-ee-df-1b-b6", app::equals).process(exchange);
        assertEquals(true, exchange.getProperty(DeviceEuis.ALLOWED));
    }
}
