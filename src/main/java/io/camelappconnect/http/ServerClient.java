package io.camelappconnect.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;

import io.camelappconnect.tls.Tls;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of HTTP mode's routes ({@code httpClientConfigurer=#serverClient}): TLS from the same PEM options as
 * MQTT ({@code server_cert}, {@code client_cert}, {@code apikey}, {@code check_hostname}), and the time a request may
 * take from the server's own answer to init ({@code timeout}, 20 s until it says, 60 s at the most), read for each
 * request. That time bounds the whole request, connect, send and the answer read to its end, not only each read: a
 * half-open connection or a server that drips its answer byte by byte must not hold the one posting thread. The
 * answer is read whole within that time, {@link #MAX_ANSWER_BYTES} at the most. A failed request is not sent again by
 * the client: the queue decides that, with what waits kept on disk meanwhile.
 */
public final class ServerClient implements HttpClientConfigurer {

    /** A downlinks answer for thousands of devices is some 100 KiB; more is not an answer we can use. */
    static final int MAX_ANSWER_BYTES = 1024 * 1024;
    /** Aborts what is not done by its time; one thread for all web servers, each abort a moment's work. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private final SSLContext tls;
    private final boolean checkHostname;
    private final ServerSession session;

    /** @param tls null for http:// */
    public ServerClient(SSLContext tls, boolean checkHostname, ServerSession session) {
        this.tls = tls;
        this.checkHostname = checkHostname;
        this.session = session;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder client) {
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setConnectionConfigResolver(route -> ConnectionConfig.custom()
                        .setConnectTimeout(timeout()).setSocketTimeout(timeout()).build());
        if (tls != null) {
            ClientTlsStrategyBuilder strategy = ClientTlsStrategyBuilder.create().setSslContext(tls)
                    .setTlsVersions(Tls.PROTOCOLS.toArray(String[]::new));
            if (!checkHostname) {
                strategy.setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                        .setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            connections.setTlsSocketStrategy(strategy.buildClassic());
        }
        client.setConnectionManager(connections.build());
        // for each request: the client's other settings as they are, the server's word on how long it may take
        client.addRequestInterceptorFirst((request, entity, context) -> {
            HttpClientContext c = HttpClientContext.castOrCreate(context);
            c.setRequestConfig(RequestConfig.copy(c.getRequestConfigOrDefault()).setResponseTimeout(timeout())
                    .setConnectionRequestTimeout(timeout()).build());
        });
        client.addExecInterceptorFirst("deadline", this::withinTheTimeout);
        client.disableAutomaticRetries();
    }

    /** The request and its answer, read whole, within the timeout; an abort at the deadline ends a blocked read. */
    private ClassicHttpResponse withinTheTimeout(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        int seconds = session.timeoutSeconds();
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            late.set(true);
            if (scope.originalRequest instanceof Cancellable c) {
                c.cancel();
            } else {
                scope.execRuntime.discardEndpoint();
            }
        }, seconds, TimeUnit.SECONDS);
        try {
            ClassicHttpResponse response = chain.proceed(request, scope);
            HttpEntity entity = response.getEntity();
            if (entity != null) {
                byte[] body;
                try (InputStream in = entity.getContent()) {
                    body = in.readNBytes(MAX_ANSWER_BYTES + 1);
                }
                if (body.length > MAX_ANSWER_BYTES) {
                    scope.execRuntime.discardEndpoint(); // the rest is not read: the connection can't be used again
                    throw new IOException("the server's answer is over " + MAX_ANSWER_BYTES / 1024 + " KiB");
                }
                response.setEntity(new ByteArrayEntity(body, ContentType.parseLenient(entity.getContentType()),
                        entity.getContentEncoding()));
            }
            return response;
        } catch (IOException e) {
            if (late.get()) {
                throw new SocketTimeoutException("no whole answer within " + seconds + " s (the timeout of the"
                        + " server's init answer, " + ServerSession.MAX_TIMEOUT_S + " s at the most): given up");
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    private static ScheduledThreadPoolExecutor deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "web server deadlines");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // a request done in time leaves nothing behind
        return executor;
    }

    private Timeout timeout() {
        return Timeout.of(session.timeoutSeconds(), TimeUnit.SECONDS);
    }
}
