package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.stagehand.db.SqlArrays.varchars;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.RequestedWork;

class StagingRequestDaoIT extends DaoTest {

    private StagingRequestDao dao;
    private RequestedWork work;
    private RequestFileDao files;

    @BeforeEach
    void attachDaos() {
        dao = new StagingRequestDao(handle);
        work = new RequestedWork(handle);
        files = new RequestFileDao(handle);
    }

    @Test
    void catalogEntriesAreFoundByIdAndUnknownIdsLeftOut() {
        entry("a");
        entry("b");

        List<CatalogEntry> found = dao.catalogEntries(List.of("a", "b", "unknown"));

        assertThat(found).extracting(CatalogEntry::fileId).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void insertedRequestsAreReadBackWithTheirCountsAndOrigin() {
        UUID plain = UUID.randomUUID();
        UUID fromJdp = UUID.randomUUID();
        dao.insertRequests(List.of(new RequestWriter.NewRequest(plain, List.of("a", "b")),
                new RequestWriter.NewRequest(fromJdp, List.of("a"), null, new RequestOrigin("0000-0002-1825-0097", 99L))),
                t0Plus(1));

        assertThat(dao.findRequest(plain)).contains(
                new StagingRequestRecord(plain, t0Plus(1), 2, null, null, null));
        assertThat(dao.findRequest(fromJdp)).contains(
                new StagingRequestRecord(fromJdp, t0Plus(1), 1, null, null, "0000-0002-1825-0097"));
        assertThat(dao.findRequest(UUID.randomUUID())).isEmpty();
    }

    @Test
    void missingWorkIsQueuedOnceAndExistingWorkIsLeftAsItIs() {
        entry("new-1");
        entry("new-2");
        aStagedFile(entry("done")).withState(FileState.READY).insert(jdbi);

        Optional<Set<String>> inserted = work.insertMissingWork(List.of("done", "new-1", "new-2"), t0Plus(5), database.isPostgres());
        Optional<Set<String>> again = work.insertMissingWork(List.of("done", "new-1", "new-2"), t0Plus(6), database.isPostgres());

        if (database.isPostgres()) {
            assertThat(inserted).contains(Set.of("new-1", "new-2"));
            assertThat(again).contains(Set.of());
        } else {
            assertThat(inserted).isEmpty();
            assertThat(again).isEmpty();
        }
        assertThat(Rows.stagedFile(jdbi, "new-1").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::attempts, Rows.StagedFileRow::notBefore,
                        Rows.StagedFileRow::lastRequestedAt)
                .containsExactly("PENDING", 0, t0Plus(5), t0Plus(5));
        assertThat(Rows.workState(jdbi, "done")).isEqualTo("READY");
        assertThat(Rows.count(jdbi, "staged_file")).isEqualTo(3);
    }

    @Test
    void lockAndTouchAnswersTheStatesOfExistingWorkAndOnlyMovesItsLastRequestForward() {
        aStagedFile(entry("earlier")).withState(FileState.READY).withLastRequestedAt(T0).insert(jdbi);
        aStagedFile(entry("later")).withLastRequestedAt(t0Plus(100)).insert(jdbi);
        entry("no-work");

        Map<String, FileState> states = work.lockAndTouch(List.of("earlier", "later", "no-work"), t0Plus(10),
                database.isPostgres());

        assertThat(states).containsOnly(Map.entry("earlier", FileState.READY), Map.entry("later", FileState.PENDING));
        assertThat(Rows.stagedFile(jdbi, "earlier").orElseThrow().lastRequestedAt()).isEqualTo(t0Plus(10));
        assertThat(Rows.stagedFile(jdbi, "later").orElseThrow().lastRequestedAt()).isEqualTo(t0Plus(100));
        assertThat(work.lockAndTouch(List.of(), t0Plus(10), database.isPostgres())).isEmpty();
    }

    @Test
    void lockAndTouchHoldsTheRowsUntilTheTransactionEnds() {
        aStagedFile(entry("f")).insert(jdbi);
        try (Handle holder = jdbi.open()) {
            holder.begin();
            new RequestedWork(holder).lockAndTouch(List.of("f"), t0Plus(1), database.isPostgres());

            List<String> skipping = jdbi.withHandle(handle -> handle.createQuery(
                    "SELECT file_id FROM staged_file WHERE file_id = 'f' FOR UPDATE SKIP LOCKED").mapTo(String.class).list());

            assertThat(skipping).isEmpty();
            holder.rollback();
        }
    }

    @Test
    void onlyFailedReadyOrIdleWorkIsQueuedAgainAndStartsAfresh() {
        aStagedFile(entry("failed")).withState(FileState.FAILED).withAttempts(3).withLastError("gone").insert(jdbi);
        aStagedFile(entry("ready")).withState(FileState.READY).insert(jdbi);
        aStagedFile(entry("idle")).withState(FileState.IDLE).insert(jdbi);
        aStagedFile(entry("active")).claimedBy("me", "token", t0Plus(60)).withAttempts(1).insert(jdbi);
        aStagedFile(entry("pending")).withNotBefore(t0Plus(99)).insert(jdbi);

        int requeued = work.requeue(varchars(List.of("failed", "ready", "idle", "active", "pending")), t0Plus(5));

        assertThat(requeued).isEqualTo(3);
        assertThat(Rows.stagedFile(jdbi, "failed").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::attempts, Rows.StagedFileRow::lastError,
                        Rows.StagedFileRow::notBefore)
                .containsExactly("PENDING", 0, null, t0Plus(5));
        assertThat(Rows.workState(jdbi, "active")).isEqualTo("ACTIVE");
        assertThat(Rows.stagedFile(jdbi, "pending").orElseThrow().notBefore()).isEqualTo(t0Plus(99));
    }

    @Test
    void requestFileRowsAreInsertedReadyWithTheirCompletionOrWaitingWithout() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        entry("ready");
        entry("waiting");

        files.insert(List.of(request.requestId().toString(), request.requestId().toString()),
                List.of("ready", "waiting"), List.of(RequestFileState.READY, RequestFileState.WAITING),
                java.util.Arrays.asList(null, null), java.util.Arrays.asList(null, null), java.util.Arrays.asList(null, null),
                t0Plus(7));

        assertThat(Rows.requestFile(jdbi, request.requestId(), "ready").orElseThrow())
                .extracting(Rows.RequestFileRow::state, Rows.RequestFileRow::completedAt).containsExactly("READY", t0Plus(7));
        assertThat(Rows.requestFile(jdbi, request.requestId(), "waiting").orElseThrow())
                .extracting(Rows.RequestFileRow::state, Rows.RequestFileRow::completedAt).containsExactly("WAITING", null);
    }

    @Test
    void aRequestIsReleasedOnceAndKeepsTheTimeOfItsFirstRelease() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);

        assertThat(dao.release(request.requestId(), t0Plus(1))).isEqualTo(1);
        assertThat(dao.release(request.requestId(), t0Plus(2))).isZero();

        assertThat(dao.findRequest(request.requestId()).orElseThrow().releasedAt()).isEqualTo(t0Plus(1));
    }

    @Test
    void cancellingStopsOnlyTheWaitingFilesAndIdlesWorkNoOtherRequestWaitsFor() {
        CatalogEntryFixture shared = entry("shared");
        CatalogEntryFixture alone = entry("alone");
        CatalogEntryFixture done = entry("done");
        aStagedFile(shared).insert(jdbi);
        aStagedFile(alone).insert(jdbi);
        aStagedFile(done).withState(FileState.READY).insert(jdbi);
        StagingRequestFixture cancelled = aStagingRequest().insert(jdbi);
        aRequestFile(cancelled, shared).insert(jdbi);
        aRequestFile(cancelled, alone).insert(jdbi);
        aRequestFile(cancelled, done).settled(RequestFileState.READY, T0).insert(jdbi);
        StagingRequestFixture other = aStagingRequest().insert(jdbi);
        aRequestFile(other, shared).insert(jdbi);

        dao.setCancelledAt(cancelled.requestId(), t0Plus(3));
        int stopped = files.cancelWaiting(cancelled.requestId(), t0Plus(3));
        List<String> locked = work.lockPendingOfRequest(cancelled.requestId());
        int idled = work.idleUnwanted(varchars(locked), t0Plus(3));

        assertThat(stopped).isEqualTo(2);
        assertThat(idled).isEqualTo(1);

        assertThat(locked).containsExactly("alone", "shared");
        assertThat(Rows.requestFile(jdbi, cancelled.requestId(), "alone").orElseThrow())
                .extracting(Rows.RequestFileRow::state, Rows.RequestFileRow::completedAt).containsExactly("CANCELLED", t0Plus(3));
        assertThat(Rows.requestFileState(jdbi, cancelled.requestId(), "done")).isEqualTo("READY");
        assertThat(Rows.workState(jdbi, "alone")).isEqualTo("IDLE");
        assertThat(Rows.workState(jdbi, "shared")).isEqualTo("PENDING");
        assertThat(dao.findRequest(cancelled.requestId()).orElseThrow().cancelledAt()).isEqualTo(t0Plus(3));
    }

    @Test
    void aRetryResetsTheChosenFilesOfTheRequestWithoutTheirErrors() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, entry("b-failed")).settled(RequestFileState.FAILED, T0).withError("no").insert(jdbi);
        aRequestFile(request, entry("a-failed")).settled(RequestFileState.FAILED, T0).withError("no").insert(jdbi);
        aRequestFile(request, entry("cancelled")).settled(RequestFileState.CANCELLED, T0).insert(jdbi);
        aRequestFile(request, entry("ready")).settled(RequestFileState.READY, T0).insert(jdbi);

        List<String> again = files.fileIdsInStates(request.requestId(), List.of(RequestFileState.FAILED, RequestFileState.CANCELLED));
        files.reset(request.requestId(), List.of("a-failed", "b-failed"), List.of(RequestFileState.READY, RequestFileState.WAITING),
                t0Plus(9));

        assertThat(again).containsExactly("a-failed", "b-failed", "cancelled");
        assertThat(Rows.requestFile(jdbi, request.requestId(), "a-failed").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("READY", null, t0Plus(9), null));
        assertThat(Rows.requestFile(jdbi, request.requestId(), "b-failed").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("WAITING", null, null, null));
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "cancelled")).isEqualTo("CANCELLED");
    }

    @Test
    void aStatusSumsTheFilesByStateWithTheirBytesAndTheWaitingOnesForSpaceOrBeingCopied() {
        StagingRequestFixture request = aStagingRequest().withCreatedAt(T0).insert(jdbi);
        CatalogEntryFixture ready1 = aCatalogEntry().withFileId("ready-1").withBytes(10L).insert(jdbi);
        CatalogEntryFixture ready2 = aCatalogEntry().withFileId("ready-2").withBytes(10L).insert(jdbi);
        CatalogEntryFixture copying = entry("copying");
        CatalogEntryFixture forSpace = entry("for-space");
        CatalogEntryFixture failed = entry("failed");
        aStagedFile(copying).claimedBy("me", "token", t0Plus(60)).insert(jdbi);
        aStagedFile(forSpace).waitingForSpace().insert(jdbi);
        aRequestFile(request, ready1).settled(RequestFileState.READY, t0Plus(1)).insert(jdbi);
        aRequestFile(request, ready2).settled(RequestFileState.READY, t0Plus(2)).insert(jdbi);
        aRequestFile(request, copying).insert(jdbi);
        aRequestFile(request, forSpace).insert(jdbi);
        aRequestFile(request, failed).settled(RequestFileState.FAILED, t0Plus(3)).withError("no").insert(jdbi);

        List<StagingRequestDao.StatusRow> rows = dao.statusRows(request.requestId());

        assertThat(rows).extracting(row -> row.summary().state(), row -> row.summary().files(), row -> row.summary().bytes(),
                        row -> row.summary().lastCompletedAt())
                .containsExactlyInAnyOrder(tuple(RequestFileState.READY, 2L, 20L, t0Plus(2)),
                        tuple(RequestFileState.WAITING, 2L, 200L, null),
                        tuple(RequestFileState.FAILED, 1L, 100L, t0Plus(3)));
        assertThat(rows).allSatisfy(row -> assertThat(row.createdAt()).isEqualTo(T0));
        StagingRequestDao.StatusRow waiting = rows.stream().filter(row -> row.summary().state() == RequestFileState.WAITING)
                .findFirst().orElseThrow();
        assertThat(waiting.waitingForSpace()).isEqualTo(1);
        assertThat(waiting.copying()).isEqualTo(1);
    }

    @Test
    void aStatusOfARequestWithoutFilesIsOneRowWithoutSummaryAndOfAnUnknownOneNothing() {
        StagingRequestFixture empty = aStagingRequest().withCancelledAt(t0Plus(1)).insert(jdbi);

        assertThat(dao.statusRows(empty.requestId())).singleElement().satisfies(row -> {
            assertThat(row.summary()).isNull();
            assertThat(row.cancelledAt()).isEqualTo(t0Plus(1));
        });
        assertThat(dao.statusRows(UUID.randomUUID())).isEmpty();
    }

    @Test
    void theFileViewPagesInIdOrderFromJustAfterTheLastIdSeen() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        for (String id : List.of("f3", "f1", "f5", "f2", "f4")) {
            aRequestFile(request, entry(id)).insert(jdbi);
        }
        aRequestFile(aStagingRequest().insert(jdbi), entry("f0")).insert(jdbi);

        List<RequestFile> first = dao.files(request.requestId(), "", 2);
        List<RequestFile> second = dao.files(request.requestId(), first.get(1).id(), 2);
        List<RequestFile> last = dao.files(request.requestId(), second.get(1).id(), 2);
        List<RequestFile> beyond = dao.files(request.requestId(), "f5", 2);

        assertThat(first).extracting(RequestFile::id).containsExactly("f1", "f2");
        assertThat(second).extracting(RequestFile::id).containsExactly("f3", "f4");
        assertThat(last).extracting(RequestFile::id).containsExactly("f5");
        assertThat(beyond).isEmpty();
        assertThat(first.get(0)).isEqualTo(new RequestFile("f1", "data/f1", RequestFileState.WAITING, 100L, null, null));
    }

    @Test
    void failedFilesAreListedWithTheirErrorsInIdOrderUpToTheLimit() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, entry("z")).settled(RequestFileState.FAILED, T0).withError("z failed").insert(jdbi);
        aRequestFile(request, entry("y")).settled(RequestFileState.FAILED, T0).withError("y failed").insert(jdbi);
        aRequestFile(request, entry("x")).settled(RequestFileState.FAILED, T0).withError("x failed").insert(jdbi);
        aRequestFile(request, entry("ok")).settled(RequestFileState.READY, T0).insert(jdbi);

        assertThat(dao.failedFiles(request.requestId(), 2)).containsExactly(
                new StagingStatus.FileError("x", "data/x", "x failed"), new StagingStatus.FileError("y", "data/y", "y failed"));
    }

    @Test
    void waitingLocationsAreThoseOfTheFilesStillWaiting() {
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, aCatalogEntry().withArchiveLocation("/tape/a").insert(jdbi)).insert(jdbi);
        aRequestFile(request, aCatalogEntry().withArchiveLocation("/tape/b").insert(jdbi))
                .settled(RequestFileState.READY, T0).insert(jdbi);

        assertThat(dao.waitingLocations(request.requestId(), 10)).containsExactly("/tape/a");
    }
}
