package io.camelappconnect.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;

/**
 * The Azure IoT Hub stand-in's side of the MQTT connection: a HiveMQ extension that holds a device to the hub's
 * rules (behaviour.md 12) and hands what it publishes to the {@link AzureHubStandIn}'s service side.
 *
 * <p>Enforced, as the hub does:
 * <ul>
 * <li>TLS only (no plain listener), on a free loopback port (and WebSocket over TLS on another, path
 * {@code /$iothub/websocket}), with a server certificate for {@code hostName} and
 * 127.0.0.1 issued by a CA of its own ({@link AzureHubStandIn#caPem()}, for app.options.server_cert).</li>
 * <li>CONNECT: client id = device id; username exactly {@code {hostName}/{deviceId}/?api-version=2021-04-12}; password
 * a SAS token {@code SharedAccessSignature sr=..&sig=..&se=..} (fields in any order) whose {@code sr}, URL-decoded,
 * is {@code {hostName}/devices/{deviceId}}, whose {@code sig} is base64(HMAC-SHA256(device key, sr + "\n" + se)) over
 * {@code sr} as written in the token (so both the URL-encoded form Microsoft's documentation signs and the raw form
 * github:Azure/azure-iot-sdk-java signs pass, as they do at the hub), and whose {@code se} is still to come. Anything
 * else: CONNACK "not authorized", counted with its reason ({@link AzureHubStandIn#refusals()}).</li>
 * <li>A connection is closed when its token expires ({@code se} plus
 * {@link AzureHubStandIn#expiryGrace(Duration)}, default 0; the
 * hub's grace is minutes); a reconnect with a new token is a new connection with its own deadline.</li>
 * <li>PUBLISH: to {@code devices/{id}/messages/events/} (anything after it; the property bag is what follows the last
 * slash, URL-decoded) or {@code $iothub/methods/res/{status}/?$rid={rid}} only, at QoS 0 or 1. Anything else, QoS 2,
 * a property bag that does not URL-decode, a D2C message over 256 KB (payload plus property bag) or a method answer
 * over 128 KB closes the connection with no PUBACK (counted with the reason, {@link AzureHubStandIn#closures()}).
 * Retain is never
 * stored: a retained D2C message arrives with the application property {@code mqtt-retain=true}, as at the hub.
 * Nothing a device publishes reaches another MQTT subscriber; it reaches the service side.</li>
 * <li>SUBSCRIBE: {@code devices/{id}/messages/devicebound/#} and {@code $iothub/methods/POST/#} only; any other filter
 * gets a SUBACK failure (counted, {@link AzureHubStandIn#refusedSubscriptions()}).</li>
 * <li>One connection per device id: a second drops the first (HiveMQ's client takeover).</li>
 * <li>C2D messages at most 64 KB and method requests at most 128 KB (the service side refuses larger). A C2D topic
 * carries {@code $.mid} and {@code $.to} before the test's properties, as the hub's does. A method invoked while the
 * device is not connected or not subscribed to methods is answered 404 at once; one not answered in time, 504.</li>
 * </ul>
 *
 * <p>Not enforced (the bridge does not rely on them, or a test would not notice): X.509 authentication (no token is
 * a refusal), other api-versions or extra username parameters (refused, though the hub takes them),
 * twin topics (refused, though the hub serves them), keepalive over 1177 s, subscription QoS 2 (granted), will
 * messages (taken and delivered to no one), rate and daily quotas, case-insensitive host names. What the hub does
 * with a method answer over 128 KB is not documented; the stand-in closes the connection. A space in a property
 * bag is {@code %20}: {@code +} is MQTT's wildcard, which no topic may hold (HiveMQ closes the connection of a
 * client that publishes one, and a client library refuses it before).
 */
final class AzureHubRules implements ExtensionMain {

    private static final Pattern METHOD_ANSWER = Pattern.compile("\\$iothub/methods/res/(\\d{1,3})/\\?\\$rid=([^&/]+)");

    private final AzureHubStandIn hub;
    private final SasTokenCheck sas;

    AzureHubRules(AzureHubStandIn hub, byte[] deviceKey) {
        this.hub = hub;
        this.sas = new SasTokenCheck(hub.hostName(), hub.deviceId(), deviceKey);
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        hub.clients = Services.clientService();
        hub.publisher = Services.publishService();
        hub.subscriptions = Services.subscriptionStore();
        Services.securityRegistry().setAuthenticatorProvider(in -> (SimpleAuthenticator) this::authenticate);
        Services.securityRegistry().setAuthorizerProvider(in -> (SubscriptionAuthorizer) this::authorize);
        PublishInboundInterceptor interceptor = this::inbound;
        Services.initializerRegistry().setClientInitializer(
                (in, context) -> context.addPublishInboundInterceptor(interceptor));
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
    }

    private void authenticate(SimpleAuthInput input, SimpleAuthOutput output) {
        ConnectPacket connect = input.getConnectPacket();
        String username = hub.hostName() + "/" + hub.deviceId() + "/?api-version=" + AzureHubStandIn.API_VERSION;
        SasTokenCheck.Checked checked;
        if (!connect.getClientId().equals(hub.deviceId())) {
            checked = new SasTokenCheck.Checked("client id '" + connect.getClientId() + "' is not the device id", null);
        } else if (!username.equals(connect.getUserName().orElse(null))) {
            checked = new SasTokenCheck.Checked("username '" + connect.getUserName().orElse("") + "' is not '"
                    + username + "'", null);
        } else if (connect.getPassword().isEmpty()) {
            checked = new SasTokenCheck.Checked("no SAS token as password (X.509 is not served)", null);
        } else {
            try {
                checked = sas.check(StandardCharsets.UTF_8.decode(connect.getPassword().get()).toString());
            } catch (IllegalArgumentException e) {
                checked = new SasTokenCheck.Checked("SAS token that does not URL-decode", null);
            }
        }
        if (checked.expiry() != null) {
            hub.tokens.add(new AzureHubStandIn.Token(checked.expiry(), checked.refusal() == null));
        }
        if (checked.refusal() != null) {
            hub.refusals.add(checked.refusal());
            output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, checked.refusal());
            return;
        }
        Instant expiry = checked.expiry();
        long serial = hub.connection.incrementAndGet();
        hub.accepted.incrementAndGet();
        long delay = Duration.between(Instant.now(), expiry.plus(hub.expiryGrace)).toMillis();
        hub.expiries.schedule(() -> {
            if (hub.connection.get() == serial) {
                hub.clients.disconnectClient(hub.deviceId()).thenAccept(closed -> {
                    if (closed) {
                        hub.closures.add("token expired at " + expiry);
                    }
                });
            }
        }, Math.max(0, delay), TimeUnit.MILLISECONDS);
        output.authenticateSuccessfully();
    }


    private void authorize(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String filter = input.getSubscription().getTopicFilter();
        if (Set.of(hub.deviceboundFilter, hub.methodsFilter).contains(filter)) {
            output.authorizeSuccessfully();
        } else {
            hub.refusedSubscriptions.add(filter);
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not a topic filter of the device's");
        }
    }

    /** Every publish of a device ends here: taken by the service side, or the hub.connection closed. */
    private void inbound(PublishInboundInput input, PublishInboundOutput output) {
        PublishPacket publish = input.getPublishPacket();
        String breach = breach(publish);
        if (breach == null) {
            output.preventPublishDelivery(); // a PUBACK, and no MQTT subscriber gets it
        } else {
            hub.closures.add(breach);
            output.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, breach); // MQTT 3.1.1: disconnected
        }
    }

    /** Why this publish breaks the hub's rules, or null once the service side has taken it. */
    private String breach(PublishPacket publish) {
        String topic = publish.getTopic();
        if (publish.getQos() == Qos.EXACTLY_ONCE) {
            return "QoS 2 on " + topic;
        }
        byte[] payload = publish.getPayload().map(b -> {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return bytes;
        }).orElse(new byte[0]);
        Matcher answer = METHOD_ANSWER.matcher(topic);
        if (topic.startsWith(hub.eventsPrefix)) {
            String bag = topic.substring(topic.lastIndexOf('/') + 1);
            if (payload.length + bag.length() > AzureHubStandIn.MAX_D2C_BYTES) {
                return "D2C message of " + (payload.length + bag.length()) + " bytes, over 256 KB";
            }
            Map<String, String> properties;
            try {
                properties = PropertyBag.decodeBag(bag);
            } catch (IllegalArgumentException e) {
                return "property bag that does not URL-decode on " + topic;
            }
            if (publish.getRetain()) {
                Map<String, String> withRetain = new LinkedHashMap<>(properties);
                withRetain.put("mqtt-retain", "true");
                properties = Collections.unmodifiableMap(withRetain);
            }
            hub.d2c.add(new AzureHubStandIn.D2c(topic, properties, payload));
            return null;
        }
        if (answer.matches()) {
            if (payload.length > AzureHubStandIn.MAX_METHOD_BYTES) {
                return "method answer of " + payload.length + " bytes, over 128 KB";
            }
            CompletableFuture<AzureHubStandIn.MethodResult> waiting = hub.pending.remove(answer.group(2));
            if (waiting == null) {
                hub.strayAnswers.incrementAndGet();
            } else {
                waiting.complete(new AzureHubStandIn.MethodResult(Integer.parseInt(answer.group(1)),
                        new String(payload, StandardCharsets.UTF_8)));
            }
            return null;
        }
        return "publish to " + topic + ", not a topic of the device's";
    }
}
