/**
 * HTTP mode (behaviour.md 9): the web server as the Camel component {@code server:}. What goes to it waits in a
 * queue that posts oldest first, in batches where it can, kept on disk while the server does not take it
 * ({@link io.camelappconnect.http.ServerQueue}); the posts themselves are camel-http calls in
 * {@code routes/http-server.yaml}, with TLS and timeouts from {@link io.camelappconnect.http.ServerClient}.
 */
package io.camelappconnect.http;
