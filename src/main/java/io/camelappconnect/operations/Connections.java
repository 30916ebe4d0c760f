package io.camelappconnect.operations;

import java.util.List;

import org.apache.camel.CamelContext;

/** The links (broker connections, the web server) a context has now, by name. */
final class Connections {

    private Connections() {
    }

    static List<Link> of(CamelContext context) {
        return context.getComponentNames().stream().sorted()
                .map(name -> context.hasComponent(name))
                .filter(c -> c instanceof Link.Source)
                .map(c -> ((Link.Source) c).link())
                .toList();
    }

    static List<Link.State> states(CamelContext context) {
        return of(context).stream().map(Link::state).toList();
    }
}
