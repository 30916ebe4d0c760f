package io.camelappconnect.http;

import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import io.camelappconnect.mqtt.Tls;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of HTTP mode's routes ({@code httpClientConfigurer=#serverClient}): TLS from the same PEM options as
 * MQTT ({@code server_cert}, {@code client_cert}, {@code apikey}, {@code check_hostname}), and the time a request may
 * take from the server's own answer to init ({@code timeout}, 20 s until it says), read for each request. A failed
 * request is not sent again by the client: the queue decides that, with what waits kept on disk meanwhile.
 */
public final class ServerClient implements HttpClientConfigurer {

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
        client.disableAutomaticRetries();
    }

    private Timeout timeout() {
        return Timeout.of(session.timeoutSeconds(), TimeUnit.SECONDS);
    }
}
