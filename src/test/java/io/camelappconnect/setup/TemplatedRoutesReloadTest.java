package io.camelappconnect.setup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * docs/routes.md, live reload: a saved file's route templates replace the old ones, and every route made from them is
 * made again from the new one: the file's templatedRoutes and a route made while the app runs (a LENS application
 * network's, {@code <template>-<connection>}); the file's plain routes are reloaded as Camel does.
 */
@Tag("step")
class TemplatedRoutesReloadTest {

    private static final String FILE = """
            - routeTemplate:
                id: greet
                parameters:
                  - name: connection
                    description: "whose"
                route:
                  from:
                    uri: "direct:greet-{{connection}}"
                    steps:
                      - setBody:
                          simple: "%s {{connection}}"
            - templatedRoute:
                routeTemplateRef: greet
                routeId: greet-cloud
                parameters:
                  - name: connection
                    value: cloud
            - route:
                id: plain
                from:
                  uri: "direct:plain"
                  steps:
                    - setBody:
                        constant: "%s plain"
            """;

    @TempDir
    Path dir;

    @Test
    void aSavedFileRemakesItsTemplatedRoutesAndThoseMadeAtRunTimeFromTheNewTemplate() throws Exception {
        Path file = dir.resolve("greet.yaml");
        Files.writeString(file, FILE.formatted("hello", "hello"));
        try (CamelContext context = new DefaultCamelContext()) {
            TemplatedRoutesReload.install(context);
            Resource resource = ResourceHelper.resolveResource(context, "file:" + file);
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
            context.start();
            context.addRouteFromTemplate("greet-app-1", "greet", Map.of("connection", "app-1"));
            assertEquals(List.of("hello cloud", "hello app-1", "hello plain"), answers(context));

            Files.writeString(file, FILE.formatted("hi", "hi"));
            PluginHelper.getRoutesLoader(context).updateRoutes(List.of(resource));

            assertEquals(List.of("hi cloud", "hi app-1", "hi plain"), answers(context));
            assertEquals(3, context.getRoutes().size());
        }
    }

    private static List<String> answers(CamelContext context) {
        return List.of("direct:greet-cloud", "direct:greet-app-1", "direct:plain").stream()
                .map(uri -> context.createProducerTemplate().requestBody(uri, "", String.class)).toList();
    }
}
