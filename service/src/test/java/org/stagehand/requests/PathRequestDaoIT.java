package org.stagehand.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.stagehand.db.SqlArrays.varchars;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.RequestPathFixture.aRequestPath;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.stagehand.area.RelativePath;
import org.stagehand.catalog.CatalogDao;
import org.stagehand.catalog.CatalogEntry;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;
import org.stagehand.work.RequestedWork;

class PathRequestDaoIT extends DaoTest {

    private PathRequestDao dao;

    @BeforeEach
    void attachDao() {
        dao = new PathRequestDao(handle);
    }

    @Test
    void entriesByPathCarryTheStateOfTheirWorkOrNoneWhenNeverAskedFor() {
        aStagedFile(entry("asked")).withState(FileState.READY).insert(jdbi);
        entry("never");

        List<PathRequestDao.EntryState> found = dao.entriesByStagingPath(List.of("data/asked", "data/never", "data/none"));

        assertThat(found).extracting(state -> state.entry().fileId(), PathRequestDao.EntryState::workState)
                .containsExactlyInAnyOrder(tuple("asked", FileState.READY),
                        tuple("never", null));
    }

    @Test
    void aDiscoveredFileIsCatalogedOnceAndAnEntryThatCameMeanwhileIsLeftAsItIs() {
        entry("existing");
        CatalogEntry samePath = new CatalogEntry("path:other", new RelativePath("data/existing"), "/archive/x",
                OptionalLong.of(1), Optional.empty());
        CatalogEntry sameId = new CatalogEntry("existing", new RelativePath("data/elsewhere"), "/archive/y",
                OptionalLong.of(2), Optional.empty());
        CatalogEntry fresh = new CatalogEntry("path:fresh", new RelativePath("data/fresh"), "/archive/fresh",
                OptionalLong.of(3), Optional.empty());

        handle.attach(CatalogDao.class).insertDiscovered(List.of(samePath, sameId, fresh, fresh), t0Plus(1));

        assertThat(Rows.column(jdbi, "catalog_entry", "file_id")).containsExactly("existing", "path:fresh");
        assertThat(Rows.column(jdbi, "catalog_entry", "staging_path")).containsExactly("data/existing", "data/fresh");
    }

    @Test
    void aClientsUnfinishedRequestsAreItsOwnThatStillWaitAndAreNotCancelled() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture waiting = aStagingRequest().withClient("fts").insert(jdbi);
        aRequestFile(waiting, file).insert(jdbi);
        StagingRequestFixture done = aStagingRequest().withClient("fts").insert(jdbi);
        aRequestFile(done, file).settled(RequestFileState.READY, T0).insert(jdbi);
        StagingRequestFixture cancelled = aStagingRequest().withClient("fts").withCancelledAt(T0).insert(jdbi);
        aRequestFile(cancelled, file).insert(jdbi);
        StagingRequestFixture someoneElses = aStagingRequest().withClient("rucio").insert(jdbi);
        aRequestFile(someoneElses, file).insert(jdbi);
        aRequestFile(aStagingRequest().withClient("fts").insert(jdbi), file).insert(jdbi);

        assertThat(dao.unfinishedRequestsOf("fts", 10)).isEqualTo(2);
        assertThat(dao.unfinishedRequestsOf("fts", 1)).as("counted up to the most asked").isEqualTo(1);
        assertThat(dao.unfinishedRequestsOf("nobody", 10)).isZero();
    }

    @Test
    void aPathRequestsRowsComeInTheClientsOrderWithPathsThatNameNoFile() {
        CatalogEntryFixture ready = entry("ready");
        CatalogEntryFixture copying = entry("copying");
        aStagedFile(ready).withState(FileState.READY).insert(jdbi);
        aStagedFile(copying).claimedBy("me", "token", t0Plus(60)).insert(jdbi);
        StagingRequestFixture request = aStagingRequest().withCreatedAt(T0).withClient("fts").insert(jdbi);
        aRequestPath(request, 1, "/archive/missing").withError("not in the catalog").insert(jdbi);
        aRequestFile(request, ready).namedBy(2, "/archive/data/ready").settled(RequestFileState.READY, t0Plus(5)).insert(jdbi);
        aRequestFile(request, copying).namedBy(0, "/archive/data/copying").insert(jdbi);
        List<PathRequestDao.PathRow> rows = dao.pathRows(request.requestId());

        assertThat(rows).extracting(PathRequestDao.PathRow::path).containsExactly("/archive/data/copying",
                "/archive/missing", "/archive/data/ready");
        assertThat(rows.get(0)).extracting(PathRequestDao.PathRow::state, PathRequestDao.PathRow::workState)
                .containsExactly(RequestFileState.WAITING, FileState.ACTIVE);
        assertThat(rows.get(1)).extracting(PathRequestDao.PathRow::fileId, PathRequestDao.PathRow::pathError,
                PathRequestDao.PathRow::state, PathRequestDao.PathRow::workState)
                .containsExactly(null, "not in the catalog", null, null);
        assertThat(rows.get(2)).extracting(PathRequestDao.PathRow::state, PathRequestDao.PathRow::completedAt)
                .containsExactly(RequestFileState.READY, t0Plus(5));
        assertThat(rows).allSatisfy(row -> assertThat(row.createdAt()).isEqualTo(T0));
        assertThat(dao.pathRows(aStagingRequest().insert(jdbi).requestId())).isEmpty();
        assertThat(dao.pathRows(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aLaterSpellingOfAFileNamedBeforeIsAPathOfItsOwnWithTheFilesState() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture request = aStagingRequest().withCreatedAt(T0).insert(jdbi);
        aRequestFile(request, file).namedBy(0, "/archive/data/f").settled(RequestFileState.READY, t0Plus(3)).insert(jdbi);
        aRequestPath(request, 1, "/archive//data/f").naming(file).insert(jdbi);

        assertThat(dao.pathRows(request.requestId()))
                .extracting(PathRequestDao.PathRow::path, PathRequestDao.PathRow::fileId, PathRequestDao.PathRow::state)
                .containsExactly(tuple("/archive/data/f", "f", RequestFileState.READY),
                        tuple("/archive//data/f", "f", RequestFileState.READY));
    }

    @Test
    void aPathRequestIsStoredWithOneRowPerFileAndRequestPathRowsOnlyForPathsNoFileRowHolds() {
        entry("a");
        entry("b");
        UUID id = UUID.randomUUID();
        PathRows paths = new PathRows("fts", 60L, List.of("/archive/data/a", "/archive/nowhere", "/archive//data/a", "/archive/data/b"),
                java.util.Arrays.asList("a", null, "a", "b"), java.util.Arrays.asList(null, "no such file", null, null),
                java.util.Arrays.asList("{\"m\":1}", null, null, null));
        new StagingRequestDao(handle).insertRequests(List.of(new RequestWriter.NewRequest(id, List.of("a", "b"), paths)), T0);
        java.util.Map<String, PathRows.AsSent> asSent = paths.asSent();
        new RequestFileDao(handle).insert(List.of(id.toString(), id.toString()), List.of("a", "b"),
                List.of(RequestFileState.WAITING, RequestFileState.WAITING),
                java.util.Arrays.asList(asSent.get("a").position(), asSent.get("b").position()),
                List.of(asSent.get("a").path(), asSent.get("b").path()),
                java.util.Arrays.asList(asSent.get("a").metadata(), asSent.get("b").metadata()), T0);

        assertThat(Rows.count(jdbi, "request_path")).isEqualTo(2);
        assertThat(dao.pathRows(id)).extracting(PathRequestDao.PathRow::path, PathRequestDao.PathRow::fileId,
                        PathRequestDao.PathRow::pathError)
                .containsExactly(tuple("/archive/data/a", "a", null), tuple("/archive/nowhere", null, "no such file"),
                        tuple("/archive//data/a", "a", null), tuple("/archive/data/b", "b", null));
        assertThat(handle.createQuery("SELECT metadata FROM request_file WHERE file_id = 'a'").mapTo(String.class).one())
                .isEqualTo("{\"m\":1}");
        assertThat(handle.createQuery("SELECT client FROM staging_request").mapTo(String.class).one()).isEqualTo("fts");
        assertThat(handle.createQuery("SELECT pin_seconds FROM staging_request").mapTo(Long.class).one()).isEqualTo(60L);
    }

    @Test
    void cancellingFilesStopsOnlyThoseStillWaitingWithTheReason() {
        CatalogEntryFixture waiting = entry("waiting");
        CatalogEntryFixture ready = entry("ready");
        CatalogEntryFixture other = entry("other");
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, waiting).insert(jdbi);
        aRequestFile(request, ready).settled(RequestFileState.READY, T0).insert(jdbi);
        aRequestFile(request, other).insert(jdbi);

        int cancelled = new RequestFileDao(handle).cancelWaiting(request.requestId(), List.of("waiting", "ready"),
                "cancelled by the client", t0Plus(2));

        assertThat(cancelled).isEqualTo(1);
        assertThat(Rows.requestFile(jdbi, request.requestId(), "waiting").orElseThrow())
                .isEqualTo(new Rows.RequestFileRow("CANCELLED", "cancelled by the client", t0Plus(2), null));
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "ready")).isEqualTo("READY");
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "other")).isEqualTo("WAITING");
    }

    @Test
    void onlyQueuedWorkIsLockedInIdOrder() {
        aStagedFile(entry("b")).insert(jdbi);
        aStagedFile(entry("a")).insert(jdbi);
        aStagedFile(entry("c")).claimedBy("me", "token", t0Plus(60)).insert(jdbi);

        assertThat(new RequestedWork(handle).lockPending(varchars(List.of("a", "b", "c", "none")))).containsExactly("a", "b");
    }

    @Test
    void releasingFilesOfARequestIsDoneOnceAndTouchesNoOtherRequest() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, file).settled(RequestFileState.READY, T0).insert(jdbi);
        StagingRequestFixture other = aStagingRequest().insert(jdbi);
        aRequestFile(other, file).settled(RequestFileState.READY, T0).insert(jdbi);

        assertThat(new RequestFileDao(handle).release(request.requestId(), List.of("f"), t0Plus(1))).isEqualTo(1);
        assertThat(new RequestFileDao(handle).release(request.requestId(), List.of("f"), t0Plus(2))).isZero();

        assertThat(Rows.requestFile(jdbi, request.requestId(), "f").orElseThrow().releasedAt()).isEqualTo(t0Plus(1));
        assertThat(Rows.requestFile(jdbi, other.requestId(), "f").orElseThrow().releasedAt()).isNull();
    }

    @Test
    void aClientReleasesByPathOnlyTheFilesItNamedByThosePaths() {
        CatalogEntryFixture named = entry("named");
        CatalogEntryFixture unnamed = entry("unnamed");
        CatalogEntryFixture respelled = entry("respelled");
        StagingRequestFixture mine = aStagingRequest().withClient("fts").insert(jdbi);
        aRequestFile(mine, named).namedBy(0, "/archive/data/named").insert(jdbi);
        aRequestFile(mine, unnamed).namedBy(1, "/archive/data/unnamed").insert(jdbi);
        aRequestFile(mine, respelled).namedBy(2, "/archive/data/respelled").insert(jdbi);
        aRequestPath(mine, 3, "/archive//data/respelled").naming(respelled).insert(jdbi);
        StagingRequestFixture theirs = aStagingRequest().withClient("rucio").insert(jdbi);
        aRequestFile(theirs, named).namedBy(0, "/archive/data/named").insert(jdbi);
        int released = new RequestFileDao(handle).releaseForClient("fts",
                List.of("/archive/data/named", "/archive//data/respelled"), t0Plus(4));

        assertThat(released).isEqualTo(2);
        assertThat(Rows.requestFile(jdbi, mine.requestId(), "respelled").orElseThrow().releasedAt()).isEqualTo(t0Plus(4));
        assertThat(Rows.requestFile(jdbi, mine.requestId(), "named").orElseThrow().releasedAt()).isEqualTo(t0Plus(4));
        assertThat(Rows.requestFile(jdbi, mine.requestId(), "unnamed").orElseThrow().releasedAt()).isNull();
        assertThat(Rows.requestFile(jdbi, theirs.requestId(), "named").orElseThrow().releasedAt()).isNull();
    }

    @Test
    void deletingAPathRequestForgetsItsPathsAndFilesAndNothingOfOtherRequests() {
        CatalogEntryFixture file = entry("f");
        StagingRequestFixture gone = aStagingRequest().insert(jdbi);
        aRequestPath(gone, 0, "/archive/data/f").naming(file).insert(jdbi);
        aRequestFile(gone, file).insert(jdbi);
        StagingRequestFixture kept = aStagingRequest().insert(jdbi);
        aRequestPath(kept, 0, "/archive/data/f").naming(file).insert(jdbi);
        aRequestFile(kept, file).insert(jdbi);

        new StagingRequestDao(handle).deleteRequest(gone.requestId());

        assertThat(Rows.column(jdbi, "staging_request", "request_id")).containsExactly(kept.requestId().toString());
        assertThat(Rows.count(jdbi, "request_path")).isEqualTo(1);
        assertThat(Rows.count(jdbi, "request_file")).isEqualTo(1);
    }
}
