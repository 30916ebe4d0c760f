package io.camelappconnect.protocol;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelappconnect.gateway.Identity;
import io.camelappconnect.message.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** The body of {@code lorawan/GW/init} (behaviour.md 3). */
public final class InitMessage implements Processor {

    /** The jar's version, from its manifest; "dev" when run from classes. */
    public static final String APP_VERSION = versionOr("dev");

    private final Identity gateway;
    private final String apiVersion;

    public InitMessage(Identity gateway, String apiVersion) {
        this.gateway = gateway;
        this.apiVersion = apiVersion;
    }

    @Override
    public void process(Exchange exchange) {
        ObjectNode init = Json.MAPPER.createObjectNode();
        gateway.euis().forEach(init.putArray("gateways_euis")::add);
        init.put("time", Instant.now().toString());
        init.put("api_version", apiVersion);
        init.put("app_version", APP_VERSION);
        exchange.getMessage().setBody(Json.bytes(init));
    }

    private static String versionOr(String otherwise) {
        String v = InitMessage.class.getPackage().getImplementationVersion();
        return v == null ? otherwise : v;
    }
}
