package org.stagehand.backend;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one {@link StagingItem}. Create them with the static factories.
 */
public sealed interface StagingOutcome {

    /**
     * The content is complete in the item's temporary file.
     *
     * @param observedChecksum the checksum of the bytes the backend wrote, if it computed one while
     *     writing; the service uses it instead of reading the file again when the algorithm matches
     *     the catalog's
     */
    record Fetched(Optional<Checksum> observedChecksum) implements StagingOutcome {
        public Fetched {
            Objects.requireNonNull(observedChecksum, "observedChecksum");
        }
    }

    /**
     * The file cannot be staged, and trying again will not help (not in the archive, refused).
     *
     * @param message what went wrong, for the operator and the requester
     */
    record Failed(String message) implements StagingOutcome {
        public Failed {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * A transient failure: the service retries the item with backoff, up to its configured attempts.
     *
     * @param message what went wrong
     * @param notBefore the earliest useful retry, when the upstream said so (e.g. {@code Retry-After})
     */
    record Retry(String message, Optional<Duration> notBefore) implements StagingOutcome {
        public Retry {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(notBefore, "notBefore");
        }
    }

    /** The item was cancelled through {@link StagingBatch#cancel} before it was finished. */
    record Cancelled() implements StagingOutcome {
    }

    /** The content is in the temporary file. */
    static StagingOutcome fetched() {
        return new Fetched(Optional.empty());
    }

    /** The content is in the temporary file and has this checksum. */
    static StagingOutcome fetched(Checksum observed) {
        return new Fetched(Optional.of(observed));
    }

    /** A permanent failure. */
    static StagingOutcome failed(String message) {
        return new Failed(message);
    }

    /** A transient failure, retried after the service's backoff. */
    static StagingOutcome retry(String message) {
        return new Retry(message, Optional.empty());
    }

    /** A transient failure, retried no sooner than {@code notBefore} from now. */
    static StagingOutcome retry(String message, Duration notBefore) {
        return new Retry(message, Optional.of(notBefore));
    }

    /** The item was cancelled. */
    static StagingOutcome cancelled() {
        return new Cancelled();
    }
}
