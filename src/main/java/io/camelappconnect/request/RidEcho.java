package io.camelappconnect.request;

import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.message.BadMessage;
import io.camelappconnect.message.Json;
import io.camelappconnect.operations.Counters;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of every request, before its {@code X_res} topic: the answer (or, after a failure, the error answer
 * of behaviour.md 5) with the request's {@code rid} as it came, number or string, and none when the request had
 * none. The answer is the body, a JSON object (a route's own answer may be JSON text too). One log line a request.
 */
public final class RidEcho implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RidEcho.class);

    private final int maxAnswerBytes;
    private final String bound;
    private final Counters counters;

    /**
     * @param maxAnswerBytes a bigger answer is replaced by an error that says so
     * @param bound          what sets that bound, for the error: mqtt.maxPayloadBytes, or the hub's limit
     */
    public RidEcho(int maxAnswerBytes, String bound, Counters counters) {
        this.maxAnswerBytes = maxAnswerBytes;
        this.bound = bound;
        this.counters = counters;
    }

    @Override
    public void process(Exchange exchange) {
        String kind = RequestIn.kind(exchange);
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ObjectNode answer = failure == null ? answer(exchange) : error(kind, failure);
        JsonNode rid = exchange.getProperty(RequestIn.RID, JsonNode.class);
        byte[] bytes = withRid(answer, rid);
        if (bytes.length > maxAnswerBytes) {
            failure = new RequestError("the answer is " + bytes.length + " bytes, over " + bound + " ("
                    + maxAnswerBytes + "): ask for less (fewer lines, one page)");
            answer = error(kind, failure);
            bytes = withRid(answer, rid);
        }
        exchange.getMessage().setBody(bytes);

        Long started = exchange.getProperty(RequestIn.STARTED, Long.class);
        long ms = started == null ? 0 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        counters.request(kind, failure == null);
        if (failure == null) {
            LOG.info("{}_req{}: answered in {} ms", kind, rid == null ? "" : " rid " + rid, ms);
        } else {
            LOG.info("{}_req{}: refused in {} ms: {}", kind, rid == null ? "" : " rid " + rid, ms,
                    answer.get("error").asText() + (answer.has("detail") ? " (" + answer.get("detail").asText() + ")" : ""));
        }
    }

    private static ObjectNode answer(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (body instanceof ObjectNode json) {
            return json;
        }
        byte[] bytes = exchange.getMessage().getBody(byte[].class);
        if (bytes.length == 0) { // work that says nothing back (a hub's clear method): it was done
            ObjectNode done = Json.MAPPER.createObjectNode();
            done.put("status", "success");
            return done;
        }
        return Json.object(bytes);
    }

    private static byte[] withRid(ObjectNode answer, JsonNode rid) {
        if (rid != null) {
            answer.set("rid", rid);
        }
        return Json.bytes(answer);
    }

    private static ObjectNode error(String kind, Exception failure) {
        ObjectNode answer = Json.MAPPER.createObjectNode();
        if (failure instanceof BadMessage bad) { // input a step refused (an Azure down method's JSON)
            failure = new RequestError(bad.getMessage());
        }
        if (failure instanceof RequestError) {
            if (kind.equals("api")) {
                answer.put("code", ((RequestError) failure).status());
            }
            answer.put("error", failure.getMessage());
            if (((RequestError) failure).result() != null) {
                answer.set("result", ((RequestError) failure).result());
            }
        } else if (kind.equals("api")) {
            // the reference's shape for an API that could not be reached or answered nonsense
            answer.put("code", 500);
            answer.put("error", "request failed");
            answer.put("detail", describe(failure));
        } else {
            LOG.error("{}_req failed unexpectedly", kind, failure);
            answer.put("error", "internal error: " + describe(failure));
        }
        answer.put("status", "fail");
        return answer;
    }

    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
