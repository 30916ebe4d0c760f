package io.camelappconnect.http;

import io.camelappconnect.operations.Redact;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 9: a web server's URL, its default ports and its path as the prefix of every request. */
@Tag("step")
class ServerUrlTest {

    @ParameterizedTest
    @CsvSource({
            "http://example.com,                 http://example.com:80",
            "https://example.com,                https://example.com:443",
            "https://host:8443/iot,              https://host:8443/iot",
            "HTTPS://host:8443/iot/,             https://host:8443/iot",
            "http://10.0.0.5:8080/a/b//,         http://10.0.0.5:8080/a/b",
            "' http://[::1]:9000 ',              http://[::1]:9000",
    })
    void theUrlAsCamelHttpTakesItDefaultPortsAndThePrefixWithoutATrailingSlash(String url, String expected) {
        assertTrue(ServerUrl.isHttp(url));
        assertEquals(expected, ServerUrl.parse("app.url", url).toString());
    }

    @ParameterizedTest
    @CsvSource({
            "http://host/x?token=1,   without a query",
            "http://user:pw@host/,    without a query, a fragment or a login",
            "http:///nohost,          has no host name",
            "http://bad host/,        is not a URL",
    })
    void aUrlWeCannotUseIsRefusedNamingTheKey(String url, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("app.url", url));
        // the URL as given, its login hidden (issue 20 #11)
        assertTrue(e.getMessage().startsWith("app.url=" + Redact.text(url)), e.getMessage());
        assertFalse(e.getMessage().contains("user:pw"), e.getMessage());
        assertTrue(e.getMessage().contains(why.trim()), e.getMessage());
    }
}
