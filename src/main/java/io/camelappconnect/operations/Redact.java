package io.camelappconnect.operations;

import java.util.regex.Pattern;

/**
 * What may reach a log line or a {@code log_req} answer (the log is served to the default cloud, and one tenant's
 * credentials must not be readable by another): a URL's login ({@code mqtt://user:pass@host}) becomes
 * {@code mqtt://***@host}, a PEM private key becomes its markers only, an Azure SAS token its first word. The one
 * place that knows how; the code redacts where it logs what it was given, and the log pattern's {@code %msg} and
 * {@code %ex} ({@link RedactedMessage}, {@link RedactedThrowable}, src/main/resources/logback.xml) are the last resort
 * for a library's words. No logback here: under Camel JBang, which logs with its own library, the code calls this too.
 */
public final class Redact {

    private Redact() {
    }


    /** A scheme, then a login before the host: anything up to an {@code @} that is not a path, space or quote. */
    private static final Pattern LOGIN = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/?#@\\s\"'<>]+@");
    /** An Azure IoT Hub SAS token: its signature is the secret, the whole of it hidden. */
    private static final Pattern SAS_TOKEN = Pattern.compile("SharedAccessSignature\\s+[^\\s\"'<>]+");
    private static final Pattern PRIVATE_KEY = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]*PRIVATE KEY)-----.*?(-----END \\1-----|$)", Pattern.DOTALL);

    /** The text with every URL login and private key hidden; null stays null. */
    public static String text(String text) {
        if (text == null || text.indexOf('@') < 0 && !text.contains("PRIVATE KEY")
                && !text.contains("SharedAccessSignature")) {
            return text; // the common case, at no cost
        }
        String hidden = LOGIN.matcher(text).replaceAll("$1***@");
        hidden = SAS_TOKEN.matcher(hidden).replaceAll("SharedAccessSignature (hidden)");
        return PRIVATE_KEY.matcher(hidden).replaceAll("-----BEGIN $1----- (hidden)");
    }
}
