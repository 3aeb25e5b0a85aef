package org.stagehand.api.data;

import java.util.Optional;
import org.stagehand.area.RelativePath;

/** Who may read what through the data door. */
@FunctionalInterface
public interface DataDoorAccess {

    /** Everyone may read everything: no tokens are configured. */
    DataDoorAccess OPEN = (authorization, path) -> Optional.empty();

    /** Why a request may not read: 401 (no valid token) or 403 (a token whose scopes do not cover the file). */
    record Refusal(int status, String message) {
    }

    /**
     * Why a request with this {@code Authorization} header may not read the catalog file at
     * {@code path} (null when the name is no catalog path); empty when it may.
     */
    Optional<Refusal> refusal(String authorization, RelativePath path);
}
