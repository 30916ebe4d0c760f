package io.camelappconnect.setup;

import java.util.function.Predicate;

import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.http.ServerSession;
import io.camelappconnect.operations.BrokersHealthCheck;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.operations.Watchdog;
import io.camelappconnect.protocol.CommandDevice;
import io.camelappconnect.protocol.DeviceEuis;
import io.camelappconnect.protocol.InitMessage;
import io.camelappconnect.protocol.JoinedData;
import io.camelappconnect.message.Json;
import io.camelappconnect.protocol.PayloadCodec;
import io.camelappconnect.protocol.TopicTemplate;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.spi.Registry;

/** The steps every mode's routes call by name: the LNS events' work, the counts, health. */
public final class ProtocolSteps {

    private ProtocolSteps() {
    }

    /** @param otherApplication a LENS application network has this AppEUI (API 1.0), besides the app.eui filter */
    public static void bind(CamelContext context, AppConfig.App app, CloudMode mode, Identity gateway, Counters counters,
                     Predicate<String> otherApplication) throws Exception {
        Registry registry = context.getRegistry();
        registry.bind("countBadInput", (Processor) exchange -> counters.badInput());
        registry.bind("brokersHealthCheck", new BrokersHealthCheck(context));
        context.addService(new Watchdog(context));
        registry.bind("counters", counters);
        // countUp, countJoined, countMoved (forwarded to the cloud), countDown, countClear (commands to the LNS):
        // steps of their own rather than bean calls, which cost 5 µs an uplink (measured)
        Counters.EVENTS.forEach(e -> registry.bind(countStep(e), (Processor) exchange -> counters.forwarded(e)));
        Counters.COMMANDS.forEach(c -> registry.bind(countStep(c), (Processor) exchange -> counters.command(c)));
        PayloadCodec codec = new PayloadCodec(app.encodeHex());
        registry.bind("deviceEuis", new DeviceEuis(mode.eui(), otherApplication));
        registry.bind("uplinkData", codec.uplinkData());
        registry.bind("joinedData", new JoinedData());
        registry.bind("checkJson", Json.CHECK);
        String uplinkTopic = app.options().uplinkTopic();
        registry.bind("uplinkTopicTemplate", uplinkTopic.isEmpty() ? (Processor) exchange -> { }
                : TopicTemplate.parse("app.options.uplinkTopic", uplinkTopic)
                        .uplinkTopic(gateway.uuid(), gateway.serial(), app.options().connection().clientId()));
        registry.bind("downlinkData", codec.downlinkData());
        registry.bind("initMessage", new InitMessage(gateway, app.apiVersion()));
        registry.bind("serverDownlinks", ServerSession.downlinks());
        registry.bind("serverDownlinkDevice", new CommandDevice(null));
    }

    private static String countStep(String kind) {
        return "count" + Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }
}
