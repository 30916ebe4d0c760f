package io.camelappconnect.request;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;

/**
 * HTTP Basic credentials for an mPower API that asks for a login (mpower.username, mpower.password), added to every
 * call by the client itself so that they stand in no endpoint URI and no log line.
 */
public final class MpowerLogin implements HttpClientConfigurer {

    private final String authorization;

    public MpowerLogin(String username, String password) {
        this.authorization = username.isEmpty() ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void configureHttpClient(HttpClientBuilder client) {
        if (authorization != null) {
            client.addRequestInterceptorFirst((request, entity, context) ->
                    request.setHeader(HttpHeaders.AUTHORIZATION, authorization));
        }
    }
}
