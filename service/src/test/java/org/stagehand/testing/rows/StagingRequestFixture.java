package org.stagehand.testing.rows;

import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** A {@code staging_request} row to insert: by default created at {@link Times#T0}, neither cancelled nor released. */
public final class StagingRequestFixture {

    private UUID requestId = UUID.randomUUID();
    private Instant createdAt = Times.T0;
    private int fileCount;
    private Instant cancelledAt;
    private Instant releasedAt;
    private String requesterOrcid;
    private String client;
    private Long pinSeconds;

    private StagingRequestFixture() {
    }

    public static StagingRequestFixture aStagingRequest() {
        return new StagingRequestFixture();
    }

    public StagingRequestFixture withRequestId(UUID requestId) {
        this.requestId = requestId;
        return this;
    }

    public StagingRequestFixture withCreatedAt(Instant createdAt) {
        this.createdAt = createdAt;
        return this;
    }

    public StagingRequestFixture withFileCount(int fileCount) {
        this.fileCount = fileCount;
        return this;
    }

    public StagingRequestFixture withCancelledAt(Instant cancelledAt) {
        this.cancelledAt = cancelledAt;
        return this;
    }

    public StagingRequestFixture withReleasedAt(Instant releasedAt) {
        this.releasedAt = releasedAt;
        return this;
    }

    public StagingRequestFixture withRequesterOrcid(String requesterOrcid) {
        this.requesterOrcid = requesterOrcid;
        return this;
    }

    /** The Tape REST client that asked (requests named by path). */
    public StagingRequestFixture withClient(String client) {
        this.client = client;
        return this;
    }

    /** The pin after completion that the client asked for (a Tape REST diskLifetime). */
    public StagingRequestFixture withPinSeconds(Long pinSeconds) {
        this.pinSeconds = pinSeconds;
        return this;
    }

    public StagingRequestFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO staging_request (request_id, created_at, file_count, cancelled_at, released_at,
                            requester_orcid, client, pin_seconds)
                        VALUES (:requestId, :createdAt, :fileCount, :cancelledAt, :releasedAt, :orcid, :client, :pin)""")
                .bind("requestId", requestId)
                .bind("createdAt", createdAt)
                .bind("fileCount", fileCount)
                .bind("cancelledAt", cancelledAt)
                .bind("releasedAt", releasedAt)
                .bind("orcid", requesterOrcid)
                .bind("client", client)
                .bind("pin", pinSeconds)
                .execute());
        return this;
    }

    public UUID requestId() {
        return requestId;
    }
}
