package io.camelappconnect.request;

/**
 * A request that can't be served: it is answered on its {@code _res} topic with
 * {@code {"error":"<this message>","status":"fail","rid":...}} (behaviour.md 5). The message says what was wrong
 * in words the person who sent the request can act on.
 */
public class RequestError extends RuntimeException {

    public RequestError(String message) {
        super(message, null, false, false);
    }

    public RequestError(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
