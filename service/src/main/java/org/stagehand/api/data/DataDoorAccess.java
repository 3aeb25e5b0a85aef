package org.stagehand.api.data;

import java.util.Optional;

/** Who may read what through the data door. */
@FunctionalInterface
public interface DataDoorAccess {

    /** Everyone may read everything: no tokens are configured. */
    DataDoorAccess OPEN = (authorization, path) -> Optional.empty();

    /**
     * Why a request with this {@code Authorization} header may not read {@code path}; empty when it may.
     */
    Optional<String> refusal(String authorization, String path);
}
