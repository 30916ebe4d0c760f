package io.camelappconnect.gateway;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** behaviour.md 2: the gateway's identity, from the configuration or asked from the gateway. */
class IdentityTest {

    private static final Path LORA_QUERY = Path.of("src/test/resources/bin/lora-query").toAbsolutePath();

    @Test
    void uuidInEitherFormBecomesTheDashedLowerCaseForm() {
        assertEquals("029998e0-6156-cdd4-4523-264b523115c1", Identity.dashedUuid("029998E06156CDD44523264B523115C1"));
        assertEquals("029998e0-6156-cdd4-4523-264b523115c1", Identity.dashedUuid("029998e0-6156-cdd4-4523-264b523115c1\n"));
        assertThrows(IllegalArgumentException.class, () -> Identity.dashedUuid("not-a-uuid"));
    }

    @Test
    void gatewayEuisAreAskedFromLoraQueryWhenNotConfigured() {
        Identity id = Identity.resolve(config("gateway.uuid", "029998e06156cdd44523264b523115c1",
                "loraQuery.command", LORA_QUERY.toString()));
        assertEquals(List.of("00-80-00-00-d0-00-01-1a", "00-80-00-00-d0-00-01-ff"), id.euis());
    }

    @Test
    void configuredValuesWin() {
        Identity id = Identity.resolve(config("gateway.uuid", "029998e06156cdd44523264b523115c1", "gateway.serial", "1858",
                "gateway.euis", "0080000000000001, 00:80:00:00:00:00:00:02", "loraQuery.command", LORA_QUERY.toString()));
        assertEquals("1858", id.serial());
        assertEquals(List.of("00-80-00-00-00-00-00-01", "00-80-00-00-00-00-00-02"), id.euis());
    }

    @Test
    void noUuidAnywhereIsAClearStartError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Identity.resolve(config()));
        assertTrue(e.getMessage().contains("gateway.uuid"), e.getMessage());
    }

    private static AppConfig config(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        p.putIfAbsent("loraQuery.command", "/nonexistent/lora-query");
        p.putIfAbsent("mpower.url", "http://127.0.0.1:9"); // nothing listens: the API is not asked for real
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation("file:config/application.properties"); // the defaults
        context.getPropertiesComponent().setOverrideProperties(p);
        return AppConfig.load(context.getPropertiesComponent());
    }
}
