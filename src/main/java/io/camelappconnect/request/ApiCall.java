package io.camelappconnect.request;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code api_req} around camel-http (behaviour.md 5.2): method, path and body checked and handed to the HTTP
 * endpoint of the mPower API; its JSON answer passed on.
 */
public final class ApiCall {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final String EXAMPLE = "{\"method\":\"GET\",\"path\":\"/api/loraNetwork\",\"body\":\"\"}";

    private ApiCall() {
    }

    /** Before camel-http: CamelHttpMethod, CamelHttpPath, CamelHttpQuery and the body. */
    public static Processor request() {
        return exchange -> {
            ObjectNode request = exchange.getMessage().getBody(ObjectNode.class);
            String method = RequestIn.requiredText(request, "method", EXAMPLE).toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw new RequestError("'method' must be GET, POST, PUT or DELETE");
            }
            String path = RequestIn.requiredText(request, "path", EXAMPLE);
            String query = null;
            int q = path.indexOf('?');
            if (q >= 0) {
                query = path.substring(q + 1);
                path = path.substring(0, q);
            }
            checkPath(path);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, method);
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody(body(request.get("body")));
        };
    }

    /** After camel-http: the API's JSON as it came (error statuses included); anything else is a failed request. */
    public static Processor result() {
        return exchange -> {
            byte[] body = exchange.getMessage().getBody(byte[].class);
            int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            JsonNode json;
            try {
                json = body == null || body.length == 0 ? null : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            if (!(json instanceof ObjectNode answer)) {
                throw new IOException("the mPower API answered " + status + " without a JSON object");
            }
            exchange.getMessage().setBody(answer);
        };
    }

    /** Only the API's own paths: no scheme, host, {@code ..}, or anything a URL would read differently. */
    private static void checkPath(String path) {
        if (!path.startsWith("/api/") || path.contains("..") || path.contains("//") || path.contains("\\")
                || path.contains("#") || path.contains("%2e") || path.contains("%2E") || path.contains("%2f")
                || path.contains("%2F") || path.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            throw new RequestError("'path' must be an mPower API path such as /api/loraNetwork (starting with /api/,"
                    + " without '..', '//', spaces or a host)");
        }
    }

    /** A string as it is, an object or array JSON-encoded, nothing for null or "". */
    private static String body(JsonNode body) {
        if (body == null || body.isNull() || (body.isTextual() && body.asText().isEmpty())) {
            return null;
        }
        return body.isTextual() ? body.asText() : body.toString();
    }
}
