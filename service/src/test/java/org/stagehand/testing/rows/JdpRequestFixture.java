package org.stagehand.testing.rows;

import org.jdbi.v3.core.Jdbi;

/** A {@code jdp_request} row: the JDP-compatible door's integer ID of a request. */
public final class JdpRequestFixture {

    private final long jdpRequestId;
    private final StagingRequestFixture request;

    private JdpRequestFixture(long jdpRequestId, StagingRequestFixture request) {
        this.jdpRequestId = jdpRequestId;
        this.request = request;
    }

    /** {@code jdpRequestId} for {@code request}, which must be inserted first. */
    public static JdpRequestFixture aJdpRequest(long jdpRequestId, StagingRequestFixture request) {
        return new JdpRequestFixture(jdpRequestId, request);
    }

    public JdpRequestFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate(
                        "INSERT INTO jdp_request (jdp_request_id, request_id) VALUES (:jdpId, :requestId)")
                .bind("jdpId", jdpRequestId)
                .bind("requestId", request.requestId())
                .execute());
        return this;
    }
}
