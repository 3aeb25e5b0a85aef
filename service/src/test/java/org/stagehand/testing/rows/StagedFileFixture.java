package org.stagehand.testing.rows;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.work.FileState;

/**
 * A {@code staged_file} (work) row to insert for a catalog file: by default {@code PENDING}, due
 * at {@link Times#T0}, never attempted, unclaimed.
 */
public final class StagedFileFixture {

    private final String fileId;
    private FileState state = FileState.PENDING;
    private int attempts;
    private Instant notBefore = Times.T0;
    private String leaseOwner;
    private String leaseToken;
    private Instant leaseExpiresAt;
    private String lastError;
    private Instant updatedAt = Times.T0;
    private Instant lastRequestedAt;
    private boolean waitingForSpace;

    private StagedFileFixture(String fileId) {
        this.fileId = fileId;
    }

    /** The work row of {@code entry}, which must be inserted first. */
    public static StagedFileFixture aStagedFile(CatalogEntryFixture entry) {
        return new StagedFileFixture(entry.fileId());
    }

    public StagedFileFixture withState(FileState state) {
        this.state = state;
        return this;
    }

    public StagedFileFixture withAttempts(int attempts) {
        this.attempts = attempts;
        return this;
    }

    public StagedFileFixture withNotBefore(Instant notBefore) {
        this.notBefore = notBefore;
        return this;
    }

    /** {@code ACTIVE}, claimed by {@code owner} under {@code token} until {@code expiresAt}. */
    public StagedFileFixture claimedBy(String owner, String token, Instant expiresAt) {
        this.state = FileState.ACTIVE;
        this.leaseOwner = owner;
        this.leaseToken = token;
        this.leaseExpiresAt = expiresAt;
        return this;
    }

    public StagedFileFixture withLastError(String lastError) {
        this.lastError = lastError;
        return this;
    }

    public StagedFileFixture withLastRequestedAt(Instant lastRequestedAt) {
        this.lastRequestedAt = lastRequestedAt;
        return this;
    }

    public StagedFileFixture waitingForSpace() {
        this.waitingForSpace = true;
        return this;
    }

    public StagedFileFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO staged_file (file_id, state, attempts, not_before, lease_owner, lease_token,
                            lease_expires_at, last_error, updated_at, last_requested_at, waiting_for_space)
                        VALUES (:fileId, :state, :attempts, :notBefore, :owner, :token, :expires, :error, :updatedAt,
                            :lastRequestedAt, :waitingForSpace)""")
                .bind("fileId", fileId)
                .bind("state", state.name())
                .bind("attempts", attempts)
                .bind("notBefore", notBefore)
                .bind("owner", leaseOwner)
                .bind("token", leaseToken)
                .bind("expires", leaseExpiresAt)
                .bind("error", lastError)
                .bind("updatedAt", updatedAt)
                .bind("lastRequestedAt", lastRequestedAt)
                .bind("waitingForSpace", waitingForSpace)
                .execute());
        return this;
    }

    public String fileId() {
        return fileId;
    }
}
