package org.stagehand.auth;

import io.dropwizard.auth.Authenticator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Accepts bearer tokens by their SHA-256: only hashes are kept in memory, and every presented
 * token is compared with every accepted hash in constant time.
 */
public final class BearerTokenAuthenticator implements Authenticator<String, ApiClient> {

    private final List<byte[]> acceptedHashes;

    private BearerTokenAuthenticator(List<byte[]> acceptedHashes) {
        this.acceptedHashes = List.copyOf(acceptedHashes);
    }

    /**
     * The authenticator for the configured tokens, or empty when none is configured.
     *
     * @param environment the process environment, where the plain tokens may be
     * @throws IllegalArgumentException naming {@code auth.tokenSha256} when a hash is malformed
     */
    public static Optional<BearerTokenAuthenticator> from(AuthConfiguration config, Map<String, String> environment) {
        return of("auth.tokenSha256", config.getTokenSha256(), config.getTokensEnvironmentVariable(), environment);
    }

    /**
     * The authenticator for the configured admin tokens ({@code auth.adminTokenSha256} and the
     * variable {@code auth.adminTokensEnvironmentVariable} names), or empty when none is configured.
     *
     * @throws IllegalArgumentException naming {@code auth.adminTokenSha256} when a hash is malformed
     */
    public static Optional<BearerTokenAuthenticator> admin(AuthConfiguration config, Map<String, String> environment) {
        return of("auth.adminTokenSha256", config.getAdminTokenSha256(), config.getAdminTokensEnvironmentVariable(),
                environment);
    }

    private static Optional<BearerTokenAuthenticator> of(String key, List<String> sha256Hex, String variable,
                                                         Map<String, String> environment) {
        String plain = variable == null ? null : environment.get(variable);
        List<byte[]> hashes = new ArrayList<>(ofSecrets(plain).map(found -> found.acceptedHashes).orElse(List.of()));
        for (String hex : sha256Hex) {
            String normalized = hex.trim().toLowerCase(Locale.ROOT);
            if (!normalized.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(key + ": each entry must be 64 hex digits");
            }
            hashes.add(HexFormat.of().parseHex(normalized));
        }
        return hashes.isEmpty() ? Optional.empty() : Optional.of(new BearerTokenAuthenticator(hashes));
    }

    /**
     * The authenticator for the comma-separated secrets in {@code commaSeparated} (e.g. the JDP
     * door's), or empty when there are none.
     */
    public static Optional<BearerTokenAuthenticator> ofSecrets(String commaSeparated) {
        List<byte[]> hashes = new ArrayList<>();
        if (commaSeparated != null) {
            for (String secret : commaSeparated.split(",")) {
                if (!secret.isBlank()) {
                    hashes.add(sha256(secret.trim()));
                }
            }
        }
        return hashes.isEmpty() ? Optional.empty() : Optional.of(new BearerTokenAuthenticator(hashes));
    }

    @Override
    public Optional<ApiClient> authenticate(String token) {
        byte[] presented = sha256(token);
        boolean accepted = false;
        for (byte[] hash : acceptedHashes) {
            // No early exit: the time taken does not depend on which token matched.
            accepted |= MessageDigest.isEqual(presented, hash);
        }
        return accepted ? Optional.of(new ApiClient("token-" + HexFormat.of().formatHex(presented).substring(0, 8)))
                : Optional.empty();
    }

    static byte[] sha256(String token) {
        try {
            // A token's hash, not a file's checksum: the backend SPI's Checksum is not for this.
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
