package io.camelappconnect.setup;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.engine.DefaultRoutesLoader;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.model.TemplatedRouteDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;

/**
 * Live reload of a route file with route templates (camel.main.routesReloadEnabled, docs/routes.md). Camel 4.17's
 * reload ({@code RouteBuilder.updateRoutesToCamelContext}) adds the file's templates again behind the old ones, which
 * stay the ones used, and makes none of its templated routes again: those the file's {@code templatedRoute}s made
 * were gone from the running app after a save. This is Camel's loader but for that: a reloaded file's templates
 * replace the old ones, and every route made from them is made again from the new template, both those the file
 * declares and those made while the app runs ({@code <template>-<connection>}, a LENS application network's, with
 * the parameters they were made with).
 */
public final class TemplatedRoutesReload extends DefaultRoutesLoader {

    /** Replaces Camel's routes loader, whose reload this one extends; before the routes are read. */
    public static void install(CamelContext context) {
        TemplatedRoutesReload loader = new TemplatedRoutesReload();
        loader.setCamelContext(context);
        context.getCamelContextExtension().addContextPlugin(RoutesLoader.class, loader);
    }

    @Override
    public Set<String> updateRoutes(Collection<Resource> resources) throws Exception {
        Set<String> answer = new LinkedHashSet<>();
        if (resources == null || resources.isEmpty()) {
            return answer;
        }
        CamelContext context = getCamelContext();
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        Collection<RoutesBuilder> builders = findRoutesBuilders(resources);
        Map<String, TemplatedRouteDefinition> declared = new LinkedHashMap<>();
        Map<String, Made> made = new LinkedHashMap<>();
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteBuilder routes) {
                routes.configureRoutes(context); // the file's definitions, nothing added yet
                routes.getTemplatedRouteCollection().getTemplatedRoutes().forEach(t -> declared.put(t.getRouteId(), t));
                Set<String> templates = new LinkedHashSet<>();
                routes.getRouteTemplateCollection().getRouteTemplates().forEach(t -> templates.add(t.getId()));
                madeAtRunTime(model, templates, made);
                for (String template : templates) {
                    model.removeRouteTemplateDefinitions(template);
                }
            }
        }
        // from here as Camel's reload: route configurations first, then each file's templates and routes
        for (RoutesBuilder builder : builders) {
            if (builder instanceof RouteConfigurationsBuilder configurations) {
                configurations.updateRouteConfigurationsToCamelContext(context);
            }
        }
        for (RoutesBuilder builder : builders) {
            for (String id : builder.updateRoutesToCamelContext(context)) {
                if (!answer.add(id)) {
                    throw new FailedToStartRouteException(id, "duplicate route id detected " + id
                            + ". Please correct ids to be unique among all your routes.");
                }
            }
        }
        for (TemplatedRouteDefinition route : declared.values()) {
            remove(context, route.getRouteId());
            model.addRouteFromTemplatedRoute(route);
            answer.add(route.getRouteId());
        }
        for (Map.Entry<String, Made> route : made.entrySet()) {
            if (!declared.containsKey(route.getKey())) {
                remove(context, route.getKey());
                context.addRouteFromTemplate(route.getKey(), route.getValue().template(), route.getValue().parameters());
                answer.add(route.getKey());
            }
        }
        return answer;
    }

    /** A route made from a template while the app runs: which template, and with what. */
    private record Made(String template, Map<String, Object> parameters) {
    }

    /** The running routes made from these templates, found by their ids, {@code <template>-<connection>}. */
    private static void madeAtRunTime(Model model, Set<String> templates, Map<String, Made> made) {
        for (RouteDefinition route : model.getRouteDefinitions()) {
            if (!route.isCreatedFromTemplate() || route.getRouteTemplateContext() == null) {
                continue;
            }
            String id = route.getRouteId();
            templates.stream().filter(t -> id.startsWith(t + "-")).reduce((a, b) -> a.length() >= b.length() ? a : b)
                    .ifPresent(t -> made.put(id, new Made(t, new HashMap<>(route.getRouteTemplateContext().getParameters()))));
        }
    }

    private static void remove(CamelContext context, String id) throws Exception {
        if (context.getRoute(id) != null) {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        }
    }
}
