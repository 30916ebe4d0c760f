package io.camelappconnect.protocol;

import java.util.function.Predicate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import io.camelappconnect.mqtt.MqttComponent;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which device an LNS message is about (behaviour.md 2): headers {@code appEui} and {@code devEui}, normalised
 * ({@code 00-80-00-ff-ff-00-00-03}), from the topic {@code lora/APP-EUI/DEV-EUI/<event>}, or from
 * {@code lora/DEV-EUI/<event>} and the JSON's {@code appeui} (a join, an uplink of older LNS firmware); and exchange
 * property {@link #ALLOWED}: false for a device outside the {@code app.eui} filter, unless it belongs to a LENS
 * application network (API 1.0). The route says what follows ({@code filter:}); the filter steps of
 * {@code io.camelappconnect.filter} may turn it false too.
 */
public final class DeviceEuis implements Processor {

    public static final String APP_EUI = "appEui";
    public static final String DEV_EUI = "devEui";
    /** Exchange property: the device's messages go on to the cloud (Boolean). */
    public static final String ALLOWED = "deviceAllowed";

    private static final Logger LOG = LoggerFactory.getLogger(DeviceEuis.class);

    /** app.eui normalised; empty: every device. */
    private final String appEuiFilter;
    /** AppEUIs that pass the filter all the same: with API 1.0, those of the LENS application networks. */
    private final Predicate<String> otherApps;

    public DeviceEuis(String appEuiFilter) {
        this(appEuiFilter, app -> false);
    }

    public DeviceEuis(String appEuiFilter, Predicate<String> otherApps) {
        this.appEuiFilter = appEuiFilter;
        this.otherApps = otherApps;
    }

    @Override
    public void process(Exchange exchange) {
        String topic = exchange.getMessage().getHeader(MqttComponent.TOPIC, String.class);
        // levels found with indexOf, not split: on every uplink, split's array, list and the strings of lora/ and the
        // event were a tenth of what the route allocated
        int first = topic.indexOf('/');
        int second = first < 0 ? -1 : topic.indexOf('/', first + 1);
        int third = second < 0 ? -1 : topic.indexOf('/', second + 1);
        String app;
        String dev;
        if (third >= 0 && topic.indexOf('/', third + 1) < 0) { // lora/APP-EUI/DEV-EUI/<event>
            app = Eui.normalise(topic.substring(first + 1, second));
            dev = Eui.normalise(topic.substring(second + 1, third));
        } else if (second >= 0 && third < 0) { // lora/DEV-EUI/<event>
            dev = Eui.normalise(topic.substring(first + 1, second));
            ObjectNode json = Json.object(exchange.getMessage().getBody(byte[].class));
            String appeui = Json.text(json, "appeui");
            if (appeui == null || appeui.isEmpty()) {
                throw new BadMessage("a message on lora/DEV-EUI/" + topic.substring(second + 1)
                        + " must carry 'appeui'");
            }
            app = Eui.normalise(appeui);
        } else {
            throw new BadMessage("not a device's topic (lora/APP-EUI/DEV-EUI/... or lora/DEV-EUI/...)");
        }
        boolean allowed = appEuiFilter.isEmpty() || appEuiFilter.equals(app) || otherApps.test(app);
        if (!allowed) { // configuration, not an error: no WARN
            LOG.debug("{}: AppEUI {} is not {}, not forwarded", topic, app, appEuiFilter);
        }
        exchange.setProperty(ALLOWED, allowed);
        exchange.getMessage().setHeader(APP_EUI, app);
        exchange.getMessage().setHeader(DEV_EUI, dev);
    }
}
