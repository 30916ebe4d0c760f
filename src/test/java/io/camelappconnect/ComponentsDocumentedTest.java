package io.camelappconnect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelappconnect.http.ServerComponent;
import io.camelappconnect.http.ServerEndpoint;
import io.camelappconnect.mqtt.MqttComponent;
import io.camelappconnect.mqtt.MqttEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultComponent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What Camel's catalog, JBang and IDEs read of {@code lns:}/{@code cloud:}/{@code <name>:} and {@code server:}: the
 * annotations camel-package-maven-plugin would turn into the component's JSON. An option the endpoint takes is a
 * setter Camel binds a URI parameter to (an unknown one fails the route): each has its {@code @UriParam}, described,
 * with the default a fresh endpoint really has; each header constant of the {@code headersClass} has its
 * {@code @Metadata}, described.
 */
@Tag("step")
class ComponentsDocumentedTest {

    @ParameterizedTest
    @ValueSource(classes = {MqttEndpoint.class, ServerEndpoint.class})
    void theEndpointNamesItsSchemeSyntaxAndHeaders(Class<? extends Endpoint> type) {
        UriEndpoint uri = type.getAnnotation(UriEndpoint.class);
        assertNotNull(uri, type + " has no @UriEndpoint");
        assertFalse(uri.title().isBlank(), "title");
        assertTrue(uri.category().length > 0, "category");
        String scheme = uri.scheme().split(",")[0];
        assertTrue(uri.syntax().startsWith(scheme + ":"), uri.syntax() + " starts with the first scheme, " + scheme);
        for (String path : uri.syntax().substring(scheme.length() + 1).split("[:/]")) {
            Field field = field(type, path);
            assertNotNull(field, "syntax " + uri.syntax() + " names " + path + ": no such field");
            UriPath annotation = field.getAnnotation(UriPath.class);
            assertNotNull(annotation, path + " has no @UriPath");
            assertFalse(annotation.description().isBlank(), path + "'s @UriPath has no description");
        }
        assertNotEquals(Void.class, uri.headersClass(), "headersClass");
    }

    @ParameterizedTest
    @ValueSource(classes = {MqttEndpoint.class, ServerEndpoint.class})
    void everyOptionHasItsDescriptionAndTrueDefault(Class<? extends Endpoint> type) throws Exception {
        Endpoint fresh = fresh(type);
        List<String> options = new ArrayList<>();
        for (Method setter : type.getDeclaredMethods()) {
            if (!Modifier.isPublic(setter.getModifiers()) || !setter.getName().startsWith("set")
                    || setter.getParameterCount() != 1) {
                continue;
            }
            String name = setter.getName().substring(3, 4).toLowerCase(Locale.ROOT) + setter.getName().substring(4);
            options.add(name);
            Field field = field(type, name);
            assertNotNull(field, setter + ": the option " + name + " has no field");
            UriParam param = field.getAnnotation(UriParam.class);
            assertNotNull(param, name + " has no @UriParam");
            assertFalse(param.description().isBlank(), name + "'s @UriParam has no description");
            field.setAccessible(true);
            assertEquals(param.defaultValue(), String.valueOf(field.get(fresh)), name + "'s defaultValue");
        }
        // and no @UriParam for an option Camel could not set
        for (Field field : type.getDeclaredFields()) {
            if (field.isAnnotationPresent(UriParam.class)) {
                assertTrue(options.contains(field.getName()), field.getName() + " has a @UriParam but no setter");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {MqttEndpoint.class, ServerEndpoint.class})
    void everyHeaderHasItsDescription(Class<? extends Endpoint> type) throws Exception {
        Class<?> headers = type.getAnnotation(UriEndpoint.class).headersClass();
        List<String> names = new ArrayList<>();
        // the fields camel-package-maven-plugin reads as headers: public static Strings
        for (Field field : headers.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                Metadata metadata = field.getAnnotation(Metadata.class);
                assertNotNull(metadata, headers.getSimpleName() + "." + field.getName() + " has no @Metadata");
                assertFalse(metadata.description().isBlank(), field.getName() + "'s @Metadata has no description");
                assertFalse(metadata.javaType().isBlank(), field.getName() + "'s @Metadata has no javaType");
                names.add((String) field.get(null));
            }
        }
        assertFalse(names.isEmpty(), headers + " names no header");
    }

    /**
     * The component's JSON in the jar (what the catalog and JBang read; camel-package-maven-plugin writes it from the
     * annotations into src/generated) says what the annotations say: made from this source, not an older one.
     */
    @ParameterizedTest
    @ValueSource(classes = {MqttEndpoint.class, ServerEndpoint.class})
    void theGeneratedJsonIsTheAnnotations(Class<? extends Endpoint> type) throws Exception {
        UriEndpoint uri = type.getAnnotation(UriEndpoint.class);
        for (String scheme : uri.scheme().split(",")) {
            String resource = "META-INF/" + type.getPackageName().replace('.', '/') + "/" + scheme + ".json";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                assertNotNull(in, resource + " is not on the classpath: build once more (mvn process-classes)");
                JsonNode json = new ObjectMapper().readTree(in);
                String stale = resource + " is older than the annotations: build once more and commit src/generated";
                assertEquals(uri.title(), json.at("/component/title").asText(), stale);
                for (Field field : type.getDeclaredFields()) {
                    UriParam param = field.getAnnotation(UriParam.class);
                    UriPath path = field.getAnnotation(UriPath.class);
                    String description = param != null ? param.description() : path != null ? path.description() : null;
                    if (description != null) {
                        assertEquals(description, json.at("/properties/" + field.getName() + "/description").asText(),
                                stale + " (" + field.getName() + ")");
                    }
                }
                for (Field field : uri.headersClass().getFields()) {
                    Metadata metadata = field.getAnnotation(Metadata.class);
                    if (metadata != null) {
                        assertEquals(metadata.description(),
                                json.at("/headers/" + field.get(null) + "/description").asText(), stale);
                    }
                }
            }
        }
    }

    /** Camel sets the options through the generated configurer (no reflection), whatever the connection's name. */
    @ParameterizedTest
    @ValueSource(classes = {MqttComponent.class, ServerComponent.class})
    void theComponentSetsOptionsThroughItsGeneratedConfigurer(Class<? extends DefaultComponent> type) throws Exception {
        Constructor<?> constructor = type.getDeclaredConstructors()[0];
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            DefaultComponent component = type.cast(constructor.newInstance((Object) null));
            component.setCamelContext(context);
            component.build();
            assertNotNull(component.getEndpointPropertyConfigurer(), type + ": no generated endpoint configurer");
            assertEquals(type.getName().replace("Component", "EndpointConfigurer"),
                    component.getEndpointPropertyConfigurer().getClass().getName());
        }
    }

    /** A route's URI sets the options the JSON lists, through that configurer, and an unknown one still fails. */
    @Test
    void aRoutesUriSetsTheOptionsAndAnUnknownOneFails() {
        // never started, so never stopped: the component has no connection to stop
        DefaultCamelContext context = new DefaultCamelContext();
        context.addComponent("backup", new MqttComponent(null)); // a declared connection's name: the same options
        MqttEndpoint endpoint = context.getEndpoint("backup:lora/+/up?qos=0&retained=true", MqttEndpoint.class);
        assertEquals(0, endpoint.getQos());
        assertTrue(endpoint.isRetained());
        ResolveEndpointFailedException unknown = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint("backup:lora/+/up?retain=true"));
        assertTrue(unknown.getMessage().contains("retain"), unknown.getMessage());
    }

    /** An endpoint as its component makes it, without the component: its fields' initial values. */
    private static Endpoint fresh(Class<? extends Endpoint> type) throws Exception {
        Class<?> component = type == MqttEndpoint.class ? MqttComponent.class : ServerComponent.class;
        Constructor<? extends Endpoint> constructor =
                type.getDeclaredConstructor(String.class, component, String.class);
        constructor.setAccessible(true);
        return constructor.newInstance("x:y", null, "y");
    }

    private static Field field(Class<?> type, String name) {
        return Arrays.stream(type.getDeclaredFields()).filter(f -> f.getName().equals(name)).findFirst().orElse(null);
    }
}
