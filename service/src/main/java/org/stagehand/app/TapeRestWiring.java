package org.stagehand.app;

import io.dropwizard.core.server.AbstractServerFactory;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.security.Principal;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.stagehand.api.ArchivePaths;
import org.stagehand.api.data.DataDoorAccess;
import org.stagehand.api.data.DataDoorServlet;
import org.stagehand.api.tape.TapeRestAuthentication;
import org.stagehand.api.tape.TapeRestResource;
import org.stagehand.api.tape.WellKnownResource;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.auth.BearerTokenAuthenticator;
import org.stagehand.auth.WlcgClient;
import org.stagehand.auth.WlcgTokenVerifier;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.requests.PathRequests;

/** Puts the WLCG Tape REST door and the data door on the API port, when they are enabled. */
final class TapeRestWiring {

    private TapeRestWiring() {
    }

    /**
     * The backend's lookup of paths not in the catalog, when {@code tapeRest.resolveUnknownPaths}
     * asks for it.
     *
     * @throws IllegalArgumentException naming the key when the backend cannot describe paths
     */
    static Optional<DescribesPaths> archiveLookup(StagehandConfiguration config, ArchiveBackend backend) {
        if (!config.getTapeRest().isResolveUnknownPaths()) {
            return Optional.empty();
        }
        if (backend instanceof DescribesPaths describer) {
            return Optional.of(describer);
        }
        throw new IllegalArgumentException("tapeRest.resolveUnknownPaths: the '" + config.getBackend().getClass().getSimpleName()
                + "' backend cannot look paths up in the archive; catalog the files, or turn the key off");
    }

    /**
     * @param newRequests the engine's path requests, made only when a door serves them: they keep a
     *     memory of their own that re-reads every changed request
     * @param authenticator the API's tokens; empty when the API is open
     */
    static void register(StagehandConfiguration config, Environment environment, Supplier<PathRequests> newRequests,
                         StagingArea area, Optional<BearerTokenAuthenticator> authenticator) throws IOException {
        Optional<WlcgTokenVerifier> wlcgTokens = WlcgTokenVerifier.from(config.getAuth().getJwt());
        TapeRestAuthentication authentication = new TapeRestAuthentication(authenticator, wlcgTokens);
        if (!config.getTapeRest().isEnabled() && !config.getDataDoor().isEnabled()) {
            return;
        }
        PathRequests requests = newRequests.get();
        environment.lifecycle().manage(requests);
        if (config.getTapeRest().isEnabled()) {
            environment.jersey().register(authentication);
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
            String prefix = ArchivePaths.collapse(config.getTapeRest().getPathPrefix());
            DataDoorAccess access = authenticator.isEmpty() && wlcgTokens.isEmpty() ? DataDoorAccess.OPEN
                    : (header, path) -> readAccess(authentication, header, path);
            environment.servlets().addServlet("data-door", new DataDoorServlet(requests, new ArchivePaths(prefix), area.root(), access))
                    .addMapping(prefix + "*");
        }
    }

    /** A configured token reads everything; a WLCG token what its {@code storage.read} scopes cover. */
    private static Optional<DataDoorAccess.Refusal> readAccess(TapeRestAuthentication authentication, String header,
                                                               RelativePath path) {
        Optional<Principal> caller = authentication.authenticate(header);
        if (caller.isEmpty()) {
            return Optional.of(new DataDoorAccess.Refusal(401,
                    "a valid bearer token (a configured token or a WLCG token) is required"));
        }
        if (caller.get() instanceof WlcgClient wlcg && path != null && !wlcg.allows("storage.read", "/" + path.value())) {
            return Optional.of(new DataDoorAccess.Refusal(403, "the token's storage.read scopes do not cover this file"));
        }
        return Optional.empty();
    }
}
