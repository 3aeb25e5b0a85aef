package org.stagehand.auth;

import java.security.Principal;
import java.util.List;

/**
 * A caller that presented a valid WLCG token: it may do only what the token's storage scopes
 * allow ({@code storage.stage:/genomes}, {@code storage.read:/}).
 *
 * @param name {@code jwt:<iss>#<sub>}, for logs and per-client limits
 * @param scopes the token's storage scopes
 */
public record WlcgClient(String name, List<StorageScope> scopes) implements Principal {

    public WlcgClient {
        scopes = List.copyOf(scopes);
    }

    @Override
    public String getName() {
        return name;
    }

    /** Whether a scope of this kind ({@code storage.stage}) covers the path ({@code /genomes/a.fa}). */
    public boolean allows(String kind, String path) {
        return scopes.stream().anyMatch(scope -> scope.kind().equals(kind) && scope.covers(path));
    }

    /** Whether the token has any scope of this kind. */
    public boolean hasAny(String kind) {
        return scopes.stream().anyMatch(scope -> scope.kind().equals(kind));
    }
}
