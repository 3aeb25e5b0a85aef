package org.stagehand.api;

import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Optional;

/**
 * The one place where URLs handed to clients (a 201's {@code Location}, links in answers) are built.
 * With {@code publicBaseUrl} configured they start with it, whatever {@code Host} header the
 * request carried (behind a proxy the service cannot know its public name, and a client-chosen
 * {@code Host} must not end up in answers given to others); without it, with the request's base URI.
 */
public final class PublicUrls {

    private final Optional<URI> publicBaseUrl;

    public PublicUrls(Optional<URI> publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl.map(PublicUrls::withTrailingSlash);
    }

    /** The URL at which clients reach the application's root: {@code publicBaseUrl}, else the request's base. */
    public URI base(UriInfo request) {
        return publicBaseUrl.orElseGet(request::getBaseUri);
    }

    /**
     * The public URL of a path below the application's root, each segment encoded as a path segment.
     * For example {@code of(uriInfo, "dts", "staging", id)}.
     */
    public URI of(UriInfo request, String... segments) {
        return UriBuilder.fromUri(base(request)).segment(segments).build();
    }

    /** Whether the text is an absolute {@code http} or {@code https} URL with a host and no query or fragment. */
    public static boolean isValidBaseUrl(String text) {
        try {
            URI uri = new URI(text);
            return uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null
                    && uri.getRawUserInfo() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static URI withTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? uri : URI.create(text + "/");
    }
}
