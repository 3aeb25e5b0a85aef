package org.stagehand.auth;

import java.security.Principal;

/**
 * A caller that presented an accepted token.
 *
 * @param name {@code token-<first 8 hex digits of the token's SHA-256>}: enough to tell tokens apart
 *     in logs without revealing them
 */
public record ApiClient(String name) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
