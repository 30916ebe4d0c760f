package io.camelappconnect.protocol;

import java.util.Base64;
import java.util.HexFormat;

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

    public boolean isHex() {
        return hex;
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
