package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.RequestPathFixture.aRequestPath;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;

class RequestFileDaoIT extends DaoTest {

    private RequestFileDao dao;

    @BeforeEach
    void attachDao() {
        dao = new RequestFileDao(handle);
    }

    @Test
    void rowsAreInsertedReadyWithTheirCompletionOrWaitingWithout() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        entry("ready");
        entry("waiting");
        String id = request.requestId().toString();

        java.util.List<Integer> noPositions = java.util.Arrays.asList(null, null);
        java.util.List<String> none = java.util.Arrays.asList(null, null);
        dao.insert(List.of(id, id), List.of("ready", "waiting"), List.of(RequestFileState.READY, RequestFileState.WAITING),
                noPositions, none, none, t0Plus(7));

        assertThat(Rows.requestFile(jdbi, request.requestId(), "ready").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("READY", null, t0Plus(7), null));
        assertThat(Rows.requestFile(jdbi, request.requestId(), "waiting").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("WAITING", null, null, null));
    }

    @Test
    void settlingAFileSettlesEveryRequestWaitingOnItAndNoRowAlreadySettled() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture first = aStagingRequest().insert(jdbi);
        aRequestFile(first, file).insert(jdbi);
        StagingRequestFixture second = aStagingRequest().insert(jdbi);
        aRequestFile(second, file).insert(jdbi);
        StagingRequestFixture cancelled = aStagingRequest().insert(jdbi);
        aRequestFile(cancelled, file).settled(RequestFileState.CANCELLED, T0).insert(jdbi);

        assertThat(dao.settleWaiting(List.of("f"), RequestFileState.FAILED, "gone", t0Plus(3))).isEqualTo(2);

        assertThat(Rows.requestFile(jdbi, first.requestId(), "f").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("FAILED", "gone", t0Plus(3), null));
        assertThat(Rows.requestFileState(jdbi, second.requestId(), "f")).isEqualTo("FAILED");
        assertThat(Rows.requestFile(jdbi, cancelled.requestId(), "f").orElseThrow().completedAt()).isEqualTo(T0);
    }

    @Test
    void cancellingStopsOnlyWaitingRowsOfTheRequestOrOfTheNamedFiles() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, entry("a")).insert(jdbi);
        aRequestFile(request, entry("b")).insert(jdbi);
        aRequestFile(request, entry("done")).settled(RequestFileState.READY, T0).insert(jdbi);
        StagingRequestFixture other = aStagingRequest().insert(jdbi);
        aRequestFile(other, aCatalogEntry().withFileId("c").insert(jdbi)).insert(jdbi);

        assertThat(dao.cancelWaiting(request.requestId(), List.of("a", "done"), "released by path", t0Plus(1))).isEqualTo(1);
        assertThat(dao.cancelWaiting(request.requestId(), t0Plus(2))).isEqualTo(1);

        assertThat(Rows.requestFile(jdbi, request.requestId(), "a").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("CANCELLED", "released by path", t0Plus(1), null));
        assertThat(Rows.requestFile(jdbi, request.requestId(), "b").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("CANCELLED", null, t0Plus(2), null));
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "done")).isEqualTo("READY");
        assertThat(Rows.requestFileState(jdbi, other.requestId(), "c")).isEqualTo("WAITING");
    }

    @Test
    void aRetryFindsTheRowsInTheGivenStatesInIdOrderAndResetsThemWithoutErrors() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, entry("b")).settled(RequestFileState.FAILED, T0).withError("no").insert(jdbi);
        aRequestFile(request, entry("a")).settled(RequestFileState.CANCELLED, T0).insert(jdbi);
        aRequestFile(request, entry("ok")).settled(RequestFileState.READY, T0).insert(jdbi);

        List<String> again = dao.fileIdsInStates(request.requestId(),
                List.of(RequestFileState.FAILED, RequestFileState.CANCELLED));
        dao.reset(request.requestId(), again, List.of(RequestFileState.READY, RequestFileState.WAITING), t0Plus(9));

        assertThat(again).containsExactly("a", "b");
        assertThat(Rows.requestFile(jdbi, request.requestId(), "a").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("READY", null, t0Plus(9), null));
        assertThat(Rows.requestFile(jdbi, request.requestId(), "b").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("WAITING", null, null, null));
    }

    @Test
    void aReleaseIsRecordedOnceAndOnlyForTheClientsOwnPaths() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture mine = aStagingRequest().withClient("fts").insert(jdbi);
        aRequestPath(mine, 0, "/archive/data/f").naming(file).insert(jdbi);
        aRequestFile(mine, file).insert(jdbi);
        StagingRequestFixture theirs = aStagingRequest().withClient("rucio").insert(jdbi);
        aRequestPath(theirs, 0, "/archive/data/f").naming(file).insert(jdbi);
        aRequestFile(theirs, file).insert(jdbi);

        assertThat(dao.releaseForClient("fts", List.of("/archive/data/f"), t0Plus(1))).isEqualTo(1);
        assertThat(dao.release(mine.requestId(), List.of("f"), t0Plus(2))).isZero();
        assertThat(dao.release(theirs.requestId(), List.of("f"), t0Plus(3))).isEqualTo(1);

        assertThat(Rows.requestFile(jdbi, mine.requestId(), "f").orElseThrow().releasedAt()).isEqualTo(t0Plus(1));
        assertThat(Rows.requestFile(jdbi, theirs.requestId(), "f").orElseThrow().releasedAt()).isEqualTo(t0Plus(3));
    }

    @Test
    void deletingARequestsRowsLeavesOtherRequestsRows() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture gone = aStagingRequest().insert(jdbi);
        aRequestFile(gone, file).insert(jdbi);
        StagingRequestFixture kept = aStagingRequest().insert(jdbi);
        aRequestFile(kept, file).insert(jdbi);

        assertThat(dao.deleteOf(gone.requestId())).isEqualTo(1);

        assertThat(Rows.requestFile(jdbi, kept.requestId(), "f")).isPresent();
        assertThat(Rows.count(jdbi, "request_file")).isEqualTo(1);
    }
}
