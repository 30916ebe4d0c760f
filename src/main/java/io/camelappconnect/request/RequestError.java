package io.camelappconnect.request;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request that can't be served: it is answered on its {@code _res} topic with
 * {@code {"error":"<this message>","status":"fail","rid":...}} (behaviour.md 5). The message says what was wrong
 * in words the person who sent the request can act on.
 */
public class RequestError extends RuntimeException {

    /** What the program that failed said, for the answer's {@code result}; null: nothing. */
    private final transient JsonNode result;

    public RequestError(String message) {
        this(message, (JsonNode) null);
    }

    /** @param result what the failed program said about it, answered beside the error (behaviour.md 11) */
    public RequestError(String message, JsonNode result) {
        super(message, null, false, false);
        this.result = result;
    }

    public JsonNode result() {
        return result;
    }

    public RequestError(String message, Throwable cause) {
        super(message, cause, false, false);
        this.result = null;
    }
}
