package io.camelappconnect.request;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.hc.core5.http.io.EofSensorInputStream;

/**
 * {@code api_req} around camel-http (behaviour.md 5.2): method, path and body checked and handed to the HTTP
 * endpoint of the mPower API; its JSON answer passed on.
 */
public final class ApiCall {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");
    private static final Pattern API_PATH = Pattern.compile("/api/[A-Za-z0-9/_.:~-]*");
    private static final Pattern API_QUERY = Pattern.compile("[A-Za-z0-9=&_.:~,-]*");
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
            checkQuery(query);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, method);
            exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
            exchange.getMessage().setHeader(Exchange.HTTP_QUERY, query);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody(body(request.get("body")));
        };
    }

    /**
     * After camel-http ({@code disableStreamCache=true}: the answer as a stream, not yet read): the API's JSON as it
     * came (error statuses included), read up to {@code maxBytes} and within {@code timeoutMs} of the request's
     * arrival; a bigger one, a slower one, or anything else, is a failed request.
     */
    public static Processor result(int maxBytes, int timeoutMs) {
        return exchange -> {
            byte[] body;
            AtomicBoolean late = new AtomicBoolean();
            try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
                if (in instanceof EofSensorInputStream response) {
                    // the socket timeout bounds each read, not an answer sent a byte at a time: the call as a whole
                    long left = Math.max(0, timeoutMs - exchange.getClock().elapsed());
                    CompletableFuture.delayedExecutor(left, TimeUnit.MILLISECONDS).execute(() -> {
                        late.set(true);
                        try {
                            response.abort(); // a read under way fails; read already, a no-op
                        } catch (IOException closing) {
                            // what closing the connection said: it is closed all the same
                        }
                    });
                }
                body = in == null ? new byte[0] : MpowerApi.readAtMost(in, maxBytes);
                if (body == null) {
                    throw new RequestError("the mPower API's answer is over " + maxBytes
                            + " bytes (mpower.maxAnswerBytes): ask for less");
                }
            } catch (IOException e) {
                if (late.get()) {
                    throw RequestError.failed("the mPower API's answer did not come within " + timeoutMs
                            + " ms (mpower.timeout)", null, e);
                }
                throw e;
            }
            int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
            JsonNode json;
            try {
                json = body.length == 0 ? null : Json.MAPPER.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            if (!(json instanceof ObjectNode answer)) {
                throw new IOException("the mPower API answered " + status + " without a JSON object");
            }
            exchange.getMessage().setBody(answer);
        };
    }

    /**
     * Only the API's own paths, spelled plainly: letters, digits and {@code / _ - . : ~}, no {@code ..} or
     * {@code //}. No percent-encoding, so nothing can decode into a path or host of its own on the way.
     */
    private static void checkPath(String path) {
        if (!API_PATH.matcher(path).matches() || path.contains("..") || path.contains("//")) {
            throw new RequestError("'path' must be an mPower API path such as /api/loraNetwork (starting with /api/;"
                    + " letters, digits and / _ - . : ~ only; no '..' or '//')");
        }
    }

    /** The query as written in mPower's examples ({@code allowRestart=false}); no '#' or spaces. */
    private static void checkQuery(String query) {
        if (query != null && !API_QUERY.matcher(query).matches()) {
            throw new RequestError("the query of 'path' may hold letters, digits and = & _ - . : ~ , only");
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
