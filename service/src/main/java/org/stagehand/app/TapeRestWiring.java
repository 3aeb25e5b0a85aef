package org.stagehand.app;

import io.dropwizard.auth.Authenticator;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.stagehand.api.data.DataDoorAccess;
import org.stagehand.api.data.DataDoorServlet;
import org.stagehand.api.tape.TapePaths;
import org.stagehand.api.tape.TapeRestResource;
import org.stagehand.api.tape.WellKnownResource;
import org.stagehand.area.StagingArea;
import org.stagehand.auth.ApiClient;
import org.stagehand.staging.PathRequests;

/** Puts the WLCG Tape REST door and the data door on the API port, when they are enabled. */
final class TapeRestWiring {

    private TapeRestWiring() {
    }

    /** @param authenticator the API's tokens; empty when the API is open */
    static void register(StagehandConfiguration config, Environment environment, PathRequests requests, StagingArea area,
                         Optional<? extends Authenticator<String, ApiClient>> authenticator) throws IOException {
        if (config.getTapeRest().isEnabled()) {
            environment.jersey().register(new WellKnownResource(config.getTapeRest().getSitename(), config.publicUrls()));
            environment.jersey().register(new TapeRestResource(requests, config.getTapeRest(), config.publicUrls(),
                    environment.getObjectMapper()));
        }
        if (config.getDataDoor().isEnabled()) {
            if (config.getServerFactory() instanceof AbstractServerFactory server) {
                // Dropwizard answers 405 to methods outside server.allowedMethods before any servlet sees them.
                Set<String> methods = new HashSet<>(server.getAllowedMethods());
                methods.add("PROPFIND");
                server.setAllowedMethods(methods);
            }
            String prefix = TapePaths.collapse(config.getTapeRest().getPathPrefix());
            DataDoorAccess access = authenticator.<DataDoorAccess>map(tokens -> (header, path) -> bearer(tokens, header))
                    .orElse(DataDoorAccess.OPEN);
            environment.servlets().addServlet("data-door", new DataDoorServlet(requests, new TapePaths(prefix), area.root(), access))
                    .addMapping(prefix + "*");
        }
    }

    private static Optional<String> bearer(Authenticator<String, ApiClient> tokens, String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of("a valid bearer token is required: Authorization: Bearer <token>");
        }
        try {
            return tokens.authenticate(header.substring(7).trim()).isPresent() ? Optional.empty()
                    : Optional.of("the bearer token is not accepted");
        } catch (AuthenticationException e) {
            return Optional.of("the bearer token cannot be checked");
        }
    }
}
