package org.stagehand.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Bearer tokens from the {@code Authorization} header only. Dropwizard's OAuth filter also takes
 * {@code ?access_token=} from the query string, where proxies, browsers' histories and request
 * logs keep it in clear; a token there is never looked at.
 */
@Priority(Priorities.AUTHENTICATION)
public final class HeaderBearerAuthFilter extends AuthFilter<String, ApiClient> {

    private HeaderBearerAuthFilter() {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String token = tokenOf(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION), prefix);
        if (!authenticate(request, token, SecurityContext.BASIC_AUTH)) {
            throw unauthorizedHandler.buildException(prefix, realm);
        }
    }

    /** The token of {@code <prefix> <token>}, or null. */
    static String tokenOf(String header, String prefix) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space <= 0 || !header.substring(0, space).equalsIgnoreCase(prefix)) {
            return null;
        }
        String token = header.substring(space + 1).trim();
        return token.isEmpty() ? null : token;
    }

    /** Builds the filter; set the authenticator, prefix, realm and unauthorized handler. */
    public static final class Builder extends AuthFilterBuilder<String, ApiClient, HeaderBearerAuthFilter> {
        @Override
        protected HeaderBearerAuthFilter newInstance() {
            return new HeaderBearerAuthFilter();
        }
    }
}
