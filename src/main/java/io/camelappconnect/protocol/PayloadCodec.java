package io.camelappconnect.protocol;

import java.util.Base64;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Eui;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The {@code data} field both ways (behaviour.md 4): the LNS speaks base64; with {@code encodeHex} the cloud
 * speaks lower-case hex. Text that is neither is refused, never passed on garbled.
 */
public final class PayloadCodec {

    private static final HexFormat HEX = HexFormat.of();

    private final boolean hex;

    public PayloadCodec(boolean encodeHex) {
        this.hex = encodeHex;
    }

    /**
     * The uplink step: an uplink's JSON as it came, only checked to be an object (not parsed), or with {@code data}
     * in hex and {@code "data-format":"hexadecimal"} when encodeHex is on.
     */
    public Processor uplinkData() {
        return exchange -> {
            byte[] payload = exchange.getMessage().getBody(byte[].class);
            if (!hex) {
                Json.requireObject(payload);
                return;
            }
            ObjectNode json = Json.object(payload);
            String data = Json.text(json, "data");
            if (data != null) {
                json.put("data", toCloud(data));
                json.put("data-format", "hexadecimal");
            }
            exchange.getMessage().setBody(Json.bytes(json));
        };
    }

    /**
     * The downlink step, after {@link CommandDevice}: {@code deveui} normalised, {@code data} checked (and turned
     * from hex into base64 with encodeHex), every other key passed on.
     */
    public Processor downlinkData() {
        return exchange -> {
            ObjectNode json = exchange.getMessage().getBody(ObjectNode.class);
            String dev = exchange.getMessage().getHeader(DeviceEuis.DEV_EUI, String.class);
            json.put("deveui", dev);
            try {
                String data = Json.text(json, "data");
                if (data != null) {
                    json.put("data", toLns(data));
                }
            } catch (BadMessage e) {
                throw new BadMessage("downlink for " + dev + " refused: " + e.getMessage());
            }
            exchange.getMessage().setBody(Json.bytes(json));
        };
    }

    /** Uplink {@code data} (base64 from the LNS) as the cloud wants it. */
    public String toCloud(String base64) {
        byte[] bytes = decodeBase64(base64);
        return hex ? HEX.formatHex(bytes) : base64;
    }

    /** Downlink {@code data} from the cloud as base64 for the LNS. */
    public String toLns(String data) {
        if (!hex) {
            decodeBase64(data);
            return data;
        }
        try {
            if (data.length() % 2 != 0) {
                throw new IllegalArgumentException("odd number of digits");
            }
            return Base64.getEncoder().encodeToString(HEX.parseHex(data));
        } catch (IllegalArgumentException e) {
            throw new BadMessage("'data' is not hex (encodeHex is on): " + Eui.abbreviate(data));
        }
    }

    private static byte[] decodeBase64(String data) {
        try {
            return Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw new BadMessage("'data' is not base64: " + Eui.abbreviate(data));
        }
    }
}
