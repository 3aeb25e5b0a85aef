package org.stagehand.backend.jdp;

import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which redirects a GET may follow, and with which credential. The upstream's own origin (the
 * base URL's scheme, host and port) gets the credential; a host named in
 * {@code backend.redirectHosts} is followed without it; any other host is refused, because a
 * redirect there is either a misconfiguration or a place the credential must not go.
 */
final class Redirects {

    /** As Go's default client (the DTS's), which follows at most 10. */
    static final int MAX_HOPS = 10;

    private final URI base;
    private final Set<String> allowedHosts;

    /**
     * @param base the upstream's base URL
     * @param allowedHosts {@code host} (any port) or {@code host:port} entries, compared without case
     */
    Redirects(URI base, List<String> allowedHosts) {
        this.base = base;
        this.allowedHosts = allowedHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Sends one request, without following redirects. */
    interface Hop {
        Response send(URI target) throws UpstreamException;
    }

    /**
     * Sends {@code hop} to {@code uri} and on to each allowed Location; the answer that is not a
     * redirect is returned. A refused, unreadable or tenth redirect throws.
     */
    Response follow(String what, URI uri, Hop hop) throws UpstreamException {
        URI target = uri;
        for (int hops = 1; ; hops++) {
            Response response = hop.send(target);
            int status = response.getStatus();
            String location = response.getHeaderString("Location");
            if (!isRedirect(status) || location == null || location.isBlank()) {
                return response;
            }
            JdpClient.abort(response);
            try {
                target = target.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new UpstreamException(UpstreamException.Kind.TRANSIENT, status, what + " answered HTTP " + status
                        + " with a Location that is not a URL", Optional.empty());
            }
            Optional<String> refusal = refusal(what, status, target);
            if (refusal.isPresent()) {
                throw new UpstreamException(UpstreamException.Kind.REDIRECT, status, refusal.get(), Optional.empty());
            }
            if (hops >= MAX_HOPS) {
                throw new UpstreamException(UpstreamException.Kind.REDIRECT, status, what + " was redirected "
                        + MAX_HOPS + " times; giving up", Optional.empty());
            }
        }
    }

    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Whether {@code uri} is the upstream's own origin, the only one that receives the credential. */
    boolean isUpstream(URI uri) {
        return scheme(uri).equals(scheme(base)) && host(uri).equals(host(base)) && port(uri) == port(base);
    }

    /**
     * Why {@code target} may not be followed, or empty when it may.
     *
     * @param what the request, for the message
     */
    Optional<String> refusal(String what, int status, URI target) {
        String scheme = scheme(target);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of(what + " answered HTTP " + status + ", a redirect to a " + scheme
                    + " URL, which is never followed");
        }
        if (isUpstream(target)) {
            return Optional.empty();
        }
        String hostAndPort = host(target) + ":" + port(target);
        if (allowedHosts.contains(host(target)) || allowedHosts.contains(hostAndPort)) {
            return Optional.empty();
        }
        // Only the host: the rest of a redirect URL may hold a signed token.
        return Optional.of(what + " answered HTTP " + status + ", a redirect to host " + hostAndPort
                + ", which backend.redirectHosts does not list; add \"" + host(target)
                + "\" to backend.redirectHosts to follow it (the credential is never sent to another host)");
    }

    private static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    private static String host(URI uri) {
        return uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return scheme(uri).equals("https") ? 443 : 80;
    }
}
