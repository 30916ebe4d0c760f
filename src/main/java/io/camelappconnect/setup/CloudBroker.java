package io.camelappconnect.setup;

import java.nio.file.Path;
import java.time.Duration;

import io.camelappconnect.azure.C2dCommand;
import io.camelappconnect.azure.DirectMethod;
import io.camelappconnect.gateway.AppConfig;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttConnection;
import io.camelappconnect.operations.Counters;
import io.camelappconnect.protocol.ClearRetained;
import io.camelappconnect.protocol.CommandDevice;
import io.camelappconnect.protocol.ConnectedTrigger;
import io.camelappconnect.request.ApiCall;
import io.camelappconnect.request.LogRequest;
import io.camelappconnect.request.LogTail;
import io.camelappconnect.request.LoraQuery;
import io.camelappconnect.request.LoraQueryRunner;
import io.camelappconnect.request.MpowerLogin;
import io.camelappconnect.request.RequestIn;
import io.camelappconnect.request.RidEcho;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.Registry;

/** MQTT mode: the cloud connection, and the steps only its routes use (commands, requests, connected). */
public final class CloudBroker {

    /** A direct method's biggest answer (Microsoft's quotas). */
    private static final int AZURE_MAX_METHOD_ANSWER_BYTES = 128 * 1024;

    private CloudBroker() {
    }

    public static MqttConnection start(CamelContext context, AppConfig config, CloudMode mode, Identity gateway,
                                Counters counters, ProducerTemplate template) {
        MqttConnection cloud = MqttComponent.add(context, BrokerConnections.cloud(config, mode, gateway.uuid()))
                .connection();
        AppConfig.App app = config.app();
        Registry registry = context.getRegistry();
        registry.bind("c2dCommand", new C2dCommand()); // a LENS application network may be on a hub
        if (mode.azure()) { // routes/azure-*.yaml: the device is named in the JSON
            registry.bind("downlinkDevice", new CommandDevice(null));
            registry.bind("clearDevice", new CommandDevice(null));
            registry.bind("directMethod", new DirectMethod());
            registry.bind("methodStatus", DirectMethod.status());
            requests(registry, config, counters, Math.min(config.mqtt().maxPayloadBytes(),
                    AZURE_MAX_METHOD_ANSWER_BYTES), "a direct method's answer");
            return cloud;
        }
        registry.bind("downlinkDevice", mode.downlinkTopic() != null || !app.v10()
                ? new CommandDevice(mode.downlinkTopic()) : CommandDevice.api10(gateway.uuid()));
        registry.bind("clearDevice", app.v10() ? CommandDevice.api10Clear(gateway.uuid()) : new CommandDevice(null));
        if (app.v10()) { // a LENS application network's downlinks, without the default app's downlinkTopic
            registry.bind("downlinkDeviceApi10", CommandDevice.api10(gateway.uuid()));
        }
        registry.bind("clearRetained", new ClearRetained());
        requests(registry, config, counters, config.mqtt().maxPayloadBytes(), "mqtt.maxPayloadBytes");
        // every cloud (re)connect; it never waits on the connection's thread, which must go on reconnecting
        if (app.v111()) {
            registry.bind("connectedOnConnect", new ConnectedTrigger(cloud,
                    () -> template.asyncSendBody("direct:connected?block=false&failIfNoConsumers=false", "")));
        }
        return cloud;
    }

    /** The request routes' steps (routes/requests.yaml). */
    private static void requests(Registry registry, AppConfig config, Counters counters, int maxAnswerBytes,
                                 String bound) {
        registry.bind("requestIn", new RequestIn());
        registry.bind("ridEcho", new RidEcho(maxAnswerBytes, bound, counters));
        LoraQuery lora = new LoraQuery(config.loraQuery().command(), config.loraQuery().timeoutMs());
        registry.bind("loraCommand", lora.command());
        registry.bind("loraResult", lora.result());
        registry.bind("loraExecutor", LoraQueryRunner.executor());
        registry.bind("apiRequest", ApiCall.request());
        registry.bind("apiResult", ApiCall.result(config.mpower().maxAnswerBytes(), config.mpower().timeoutMs()));
        registry.bind("mpowerLogin", new MpowerLogin(config.mpower().username(), config.mpower().password()));
        AppConfig.Logs logs = config.logs();
        registry.bind("logRequest", new LogRequest(new LogTail(Path.of(logs.dir()), logs.maxLines(),
                logs.maxAnswerBytes(), logs.maxScanMiB() * 1024L * 1024L, Duration.ofMillis(logs.timeoutMs()))));
    }
}
