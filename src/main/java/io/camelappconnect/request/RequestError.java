package io.camelappconnect.request;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request that can't be served: it is answered on its {@code _res} topic with
 * {@code {"error":"<this message>","status":"fail","rid":...}} (behaviour.md 5). The message says what was wrong
 * in words the person who sent the request can act on. Its {@link #status()} says whose fault it is, as HTTP's
 * codes do: an Azure direct method is answered with it (behaviour.md 12), an {@code api_req} has it as its
 * {@code code}.
 */
public class RequestError extends RuntimeException {

    /** The request was wrong: the sender can fix it. */
    public static final int BAD_REQUEST = 400;
    /** {@code app.requestOptions} turned this kind off. */
    public static final int DISABLED = 403;
    /** No such request (an Azure direct method this bridge does not have). */
    public static final int UNKNOWN = 404;
    /** The request was right, and the gateway failed to serve it (a program, a file, the mPower API). */
    public static final int FAILED = 500;

    private final int status;

    /** What the program that failed said, for the answer's {@code result}; null: nothing. */
    private final transient JsonNode result;

    public RequestError(String message) {
        this(message, (JsonNode) null);
    }

    /** Thrown by name from routes/requests.yaml when app.requestOptions turned the request's kind off. */
    public static final class Disabled extends RequestError {
        public Disabled(String message) {
            super(DISABLED, message, null, null);
        }
    }

    /** A request of a kind there is none of. */
    public static RequestError unknown(String message) {
        return new RequestError(UNKNOWN, message, null, null);
    }

    /** The gateway failed to serve a right request, with what the failing part said ({@code result}, may be null). */
    public static RequestError failed(String message, JsonNode result, Throwable cause) {
        return new RequestError(FAILED, message, result, cause);
    }

    /** @param result what the failed program said about it, answered beside the error (behaviour.md 11) */
    public RequestError(String message, JsonNode result) {
        this(BAD_REQUEST, message, result, null);
    }

    private RequestError(int status, String message, JsonNode result, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.result = result;
    }

    public int status() {
        return status;
    }

    public JsonNode result() {
        return result;
    }

    public RequestError(String message, Throwable cause) {
        this(BAD_REQUEST, message, null, cause);
    }
}
