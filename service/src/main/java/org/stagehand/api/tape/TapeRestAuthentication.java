package org.stagehand.api.tape;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Optional;
import org.stagehand.auth.BearerTokenAuthenticator;
import org.stagehand.auth.WlcgTokenVerifier;

/**
 * Who calls the Tape REST API: a configured bearer token (may do everything), or a WLCG token
 * (may do what its storage scopes allow, checked per path by the resource). Only
 * {@link TapeRestResource} is guarded; the well-known document stays open. With neither kind of
 * token configured, the API is open and callers are {@code anonymous}.
 */
public final class TapeRestAuthentication implements DynamicFeature {

    private final Optional<BearerTokenAuthenticator> tokens;
    private final Optional<WlcgTokenVerifier> wlcgTokens;

    public TapeRestAuthentication(Optional<BearerTokenAuthenticator> tokens, Optional<WlcgTokenVerifier> wlcgTokens) {
        this.tokens = tokens;
        this.wlcgTokens = wlcgTokens;
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        if (resourceInfo.getResourceClass() == TapeRestResource.class && (tokens.isPresent() || wlcgTokens.isPresent())) {
            context.register(new Filter());
        }
    }

    /** The caller of a bearer value, or empty when it is not accepted. */
    public Optional<Principal> authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        if (wlcgTokens.isPresent() && WlcgTokenVerifier.looksLikeJwt(token)) {
            Optional<Principal> client = wlcgTokens.get().verify(token).map(Principal.class::cast);
            if (client.isPresent()) {
                return client;
            }
        }
        return tokens.flatMap(accepted -> accepted.authenticate(token)).map(Principal.class::cast);
    }

    @Priority(Priorities.AUTHENTICATION)
    private final class Filter implements ContainerRequestFilter {
        @Override
        public void filter(ContainerRequestContext request) {
            Optional<Principal> caller = authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION));
            if (caller.isEmpty()) {
                request.abortWith(Response.fromResponse(TapeRestResource.problem(401, "Unauthorized",
                                "a valid bearer token (a configured token or a WLCG token) is required"))
                        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"stagehand\"").build());
                return;
            }
            SecurityContext original = request.getSecurityContext();
            request.setSecurityContext(new SecurityContext() {
                @Override
                public Principal getUserPrincipal() {
                    return caller.get();
                }

                @Override
                public boolean isUserInRole(String role) {
                    return false;
                }

                @Override
                public boolean isSecure() {
                    return original.isSecure();
                }

                @Override
                public String getAuthenticationScheme() {
                    return "Bearer";
                }
            });
        }
    }
}
