package org.stagehand.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A WLCG storage scope, {@code <kind>:<path>} (common JWT profile §2.2.1): {@code storage.stage:/a}
 * covers {@code /a} and everything below it, not {@code /ab}. A scope without a path covers
 * everything, as {@code :/} does.
 *
 * @param kind {@code storage.stage}, {@code storage.read}, ...
 * @param path starting with {@code /}, without a trailing one (except {@code /} itself)
 */
public record StorageScope(String kind, String path) {

    /** The storage scopes of a {@code scope} claim (space-separated); other scopes are ignored. */
    public static List<StorageScope> parse(String claim) {
        List<StorageScope> scopes = new ArrayList<>();
        if (claim == null) {
            return scopes;
        }
        for (String word : claim.trim().split("\\s+")) {
            parseOne(word).ifPresent(scopes::add);
        }
        return scopes;
    }

    private static Optional<StorageScope> parseOne(String word) {
        if (!word.startsWith("storage.")) {
            return Optional.empty();
        }
        int colon = word.indexOf(':');
        if (colon < 0) {
            return Optional.of(new StorageScope(word, "/"));
        }
        String path = word.substring(colon + 1);
        if (!path.startsWith("/") || path.contains("/../") || path.endsWith("/..")) {
            return Optional.empty(); // not a path the profile allows: grants nothing
        }
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return Optional.of(new StorageScope(word.substring(0, colon), path));
    }

    /** Whether this scope's path covers {@code target} (absolute, decoded). */
    public boolean covers(String target) {
        return path.equals("/") || target.equals(path) || target.startsWith(path + "/");
    }
}
