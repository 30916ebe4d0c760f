package io.camelappconnect.mqtt;

import com.hivemq.client.mqtt.exceptions.MqttDecodeException;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A packet over {@code mqtt.maxIncomingBytes} (a 40 MB downlink on a 32 MiB heap): HiveMQ's decoder refuses it from
 * its fixed header, before buffering it, and closes the connection. Left there, a QoS 1 message the broker keeps in
 * the session comes back first at every reconnect, for ever. A PUBACK would end that, but its packet id follows the
 * topic, which the decoder never reads, and the client lets nothing of ours into its pipeline. So the session is
 * discarded instead: a CONNECT with clean session from a client of its own, then a DISCONNECT, before the next
 * connect, which starts a new session (the subscriptions are sent again). What the broker had queued with it is lost
 * too, as the WARN says. An oversized retained message comes again with every SUBSCRIBE: only the broker's own limit
 * (Mosquitto's message_size_limit) ends that.
 */
final class OversizedPacket {

    private static final Logger LOG = LoggerFactory.getLogger(OversizedPacket.class);
    /** Where HiveMQ's decoder says why (MqttDecoder: "incoming packet exceeded maximum packet size"). */
    private static final String TOO_LARGE = "maximum packet size";

    private OversizedPacket() {
    }

    /** Whether this cause of a disconnect is the decoder refusing a packet over the restrictions' maximum. */
    static boolean refused(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof MqttDecodeException && t.getMessage() != null && t.getMessage().contains(TOO_LARGE)) {
                return true;
            }
        }
        return false;
    }

    /** Ends the session the broker keeps for this client id; a failure is logged, and the next refusal tries again. */
    static void discardSession(ConnectionConfig config) {
        Mqtt3BlockingClient client = config.client().buildBlocking();
        try {
            client.connectWith().cleanSession(true).keepAlive(config.keepaliveSeconds())
                    .restrictions(config.incomingRestrictions()).simpleAuth(config.simpleAuth()).send();
            client.disconnect();
            LOG.info("{}: session of {} on {} discarded", config.name(), config.clientId(), config.url());
        } catch (RuntimeException e) {
            LOG.warn("{}: could not discard the session of {} on {}: {}", config.name(), config.clientId(),
                    config.url(), Causes.describe(e, false, config.keys()));
        }
    }
}
