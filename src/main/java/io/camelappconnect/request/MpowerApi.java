package io.camelappconnect.request;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelappconnect.operations.Redact;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.EofSensorInputStream;
import org.apache.hc.core5.util.Timeout;

/**
 * The mPower API's answers, read with the same bounds wherever the app asks it: {@code api_req} (camel-http), and at
 * start the Cloud Connector settings ({@code app.source=mpower}) and the gateway EUIs. At most
 * {@code mpower.maxAnswerBytes} of an answer is read (a bigger one no further), and a call at start ends within its
 * time, answer included: a server that sends its answer slowly, or never ends it, can't hold the start.
 */
public final class MpowerApi {

    /** What the API answered: its status and its whole body; {@code where} the URL asked, without a login in it. */
    public record Answer(String where, int status, byte[] body) {
    }

    /** The API answered, but nothing that can be used: more than the bound, or not within the time. Not tried again. */
    public static final class BadAnswer extends IOException {
        BadAnswer(String message) {
            super(message);
        }
    }

    private MpowerApi() {
    }

    /**
     * An answer's body up to {@code maxBytes}; null when it has more, and then no more of it is read: the connection
     * is dropped, where closing would read the rest to keep it.
     */
    public static byte[] readAtMost(InputStream in, int maxBytes) throws IOException {
        byte[] body = in.readNBytes(maxBytes + 1);
        if (body.length <= maxBytes) {
            return body;
        }
        if (in instanceof EofSensorInputStream response) {
            response.abort();
        }
        return null;
    }

    /**
     * {@code GET origin + path}, once (no retries of the client's own), with the login of {@code login}.
     *
     * @throws BadAnswer over {@code maxBytes}, or not done within {@code timeoutMs}, each said with the URL (no
     *                   login in it) and the bound
     * @throws IOException when the API could not be reached
     */
    public static Answer get(String origin, String path, MpowerLogin login, int timeoutMs, int maxBytes)
            throws IOException {
        String url = origin.replaceAll("/+$", "") + path;
        String where = Redact.text(url);
        Timeout timeout = Timeout.ofMilliseconds(timeoutMs);
        HttpClientBuilder builder = HttpClients.custom()
                .disableAutomaticRetries().disableRedirectHandling()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create().setDefaultConnectionConfig(
                        ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build()).build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(timeout).build());
        login.configureHttpClient(builder);
        HttpGet get = new HttpGet(url);
        // the socket timeout bounds each read, not an answer that comes a byte at a time: this bounds the whole call
        CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS).execute(get::cancel);
        try (CloseableHttpClient client = builder.build();
             ClassicHttpResponse response = client.executeOpen(null, get, null)) {
            HttpEntity entity = response.getEntity();
            byte[] body = entity == null ? new byte[0] : readAtMost(entity.getContent(), maxBytes);
            if (body == null) {
                throw new BadAnswer(where + " answered more than " + maxBytes + " bytes (mpower.maxAnswerBytes):"
                        + " not read further");
            }
            return new Answer(where, response.getCode(), body);
        } catch (BadAnswer e) {
            throw e;
        } catch (IOException e) {
            if (get.isCancelled()) {
                throw new BadAnswer(where + " did not answer within " + timeoutMs + " ms (mpower.timeout)");
            }
            throw new IOException(where + " not reachable: " + Redact.text(String.valueOf(e)), e);
        } finally {
            get.cancel(); // done: the deadline has nothing left to end
        }
    }
}
