package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.stagehand.testing.rows.JdpRequestFixture.aJdpRequest;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;

/** The {@code jdp_request} table: the JDP-compatible door's integer IDs, written and read by {@link StagingRequestDao}. */
class JdpRequestDaoIT extends DaoTest {

    private StagingRequestDao dao;

    @BeforeEach
    void attachDao() {
        dao = new StagingRequestDao(handle);
    }

    @Test
    void anIntegerIdNamesItsRequestAndAnUnknownOneNone() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aJdpRequest(1L << 53, request).insert(jdbi);

        assertThat(dao.requestOfJdpId(1L << 53)).contains(request.requestId());
        assertThat(dao.requestOfJdpId(7)).isEmpty();
    }

    @Test
    void theIdsOfSeveralRequestsAreReadInOneGoAndRequestsWithoutOneLeftOut() {
        StagingRequestFixture first = aStagingRequest().insert(jdbi);
        StagingRequestFixture second = aStagingRequest().insert(jdbi);
        StagingRequestFixture withoutId = aStagingRequest().insert(jdbi);
        aJdpRequest(11, first).insert(jdbi);
        aJdpRequest(12, second).insert(jdbi);

        Map<Long, UUID> ids = dao.jdpIdsOf(List.of(first.requestId(), second.requestId(), withoutId.requestId(),
                UUID.randomUUID()));

        assertThat(ids).containsOnly(Map.entry(11L, first.requestId()), Map.entry(12L, second.requestId()));
        assertThat(dao.jdpIdsOf(List.of())).isEmpty();
    }

    /** {@code JdpRequestIds} draws another ID on exactly this SQLState; any other error fails the request. */
    @Test
    void aTakenIntegerIdIsRefusedAsAUniqueViolationOnEitherDatabase() {
        StagingRequestFixture holder = aStagingRequest().insert(jdbi);
        aJdpRequest(42, holder).insert(jdbi);
        UUID clashing = UUID.randomUUID();

        handle.begin();
        Throwable thrown = catchThrowable(() -> dao.insertRequests(List.of(new RequestWriter.NewRequest(clashing, List.of(),
                null, new RequestOrigin(null, 42L))), t0Plus(1)));
        handle.rollback();

        assertThat(sqlStates(thrown)).contains("23505");
        assertThat(Rows.column(jdbi, "staging_request", "request_id")).containsExactly(holder.requestId().toString());
    }

    @Test
    void aRequestCanHoldOnlyOneIntegerId() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aJdpRequest(1, request).insert(jdbi);

        Throwable thrown = catchThrowable(() -> aJdpRequest(2, request).insert(jdbi));

        assertThat(sqlStates(thrown)).contains("23505");
    }

    private static List<String> sqlStates(Throwable thrown) {
        List<String> states = new java.util.ArrayList<>();
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                states.add(sql.getSQLState());
            }
        }
        return states;
    }
}
