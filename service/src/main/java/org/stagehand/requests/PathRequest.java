package org.stagehand.requests;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.stagehand.area.RelativePath;

/**
 * A staging request that names files by path (the WLCG Tape REST door) instead of by catalog ID.
 * Every path is kept as the client named it, in order; one that names no catalog file fails on its
 * own, the request is still accepted.
 *
 * @param client who asks: the authenticated caller's name, or {@code anonymous}
 * @param pin how long the copies stay pinned after the request completed; empty: {@code lifecycle.pinLifetime}
 * @param paths the distinct paths asked for, in the order asked
 */
public record PathRequest(String client, Optional<Duration> pin, List<RequestedPath> paths) {

    public PathRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(pin, "pin");
        paths = List.copyOf(paths);
    }

    /**
     * One path of a request.
     *
     * @param name the path as the client named it, echoed in every answer
     * @param stagingPath the catalog path it names, or null when the door could not map it
     * @param refusal why the door could not map it (then the file fails with this error), else null
     * @param metadata the client's metadata for this file (JSON text), or null
     */
    public record RequestedPath(String name, RelativePath stagingPath, String refusal, String metadata) {

        public RequestedPath {
            Objects.requireNonNull(name, "name");
            if ((stagingPath == null) == (refusal == null)) {
                throw new IllegalArgumentException("a requested path has either a staging path or a refusal");
            }
        }

        public static RequestedPath of(String name, RelativePath stagingPath, String metadata) {
            return new RequestedPath(name, stagingPath, null, metadata);
        }

        public static RequestedPath refused(String name, String refusal) {
            return new RequestedPath(name, null, refusal, null);
        }
    }
}
