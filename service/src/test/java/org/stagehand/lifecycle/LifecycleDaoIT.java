package org.stagehand.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.JdpRequestFixture.aJdpRequest;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.RequestPathFixture.aRequestPath;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stagehand.requests.StagingRequestDao;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileDao;
import org.stagehand.work.RequestFileState;

class LifecycleDaoIT extends DaoTest {

    private static final Instant NOW = t0Plus(3600);
    private static final Duration PIN = Duration.ofMinutes(10);

    private LifecycleDao dao() {
        return jdbi.onDemand(LifecycleDao.class);
    }

    private CatalogEntryFixture ready(String fileId, Instant lastRequestedAt) {
        CatalogEntryFixture entry = entry(fileId);
        aStagedFile(entry).withState(FileState.READY).withLastRequestedAt(lastRequestedAt).insert(jdbi);
        return entry;
    }

    private List<String> candidates() {
        return dao().evictionCandidates(NOW.minus(PIN), NOW, 100).stream().map(EvictionCandidate::fileId).toList();
    }

    @Test
    void evictionCandidatesAreUnpinnedReadyCopiesLeastRecentlyRequestedFirst() {
        ready("recent", t0Plus(5));
        ready("oldest", t0Plus(1));
        ready("middle", t0Plus(3));
        CatalogEntryFixture queued = aCatalogEntry().insert(jdbi);
        aStagedFile(queued).insert(jdbi);
        CatalogEntryFixture copying = aCatalogEntry().insert(jdbi);
        aStagedFile(copying).claimedBy("me", "token", NOW.plusSeconds(60)).insert(jdbi);

        assertThat(candidates()).containsExactly("oldest", "middle", "recent");
        assertThat(dao().evictionCandidates(NOW.minus(PIN), NOW, 2)).extracting(EvictionCandidate::fileId)
                .containsExactly("oldest", "middle");
    }

    @Test
    void aRequestStillWaitingForSomeFilePinsEveryCopyItAskedFor() {
        CatalogEntryFixture done = ready("done", T0);
        CatalogEntryFixture waiting = aCatalogEntry().insert(jdbi);
        aStagedFile(waiting).insert(jdbi);
        StagingRequestFixture request = aStagingRequest().withCreatedAt(T0).insert(jdbi);
        aRequestFile(request, done).settled(RequestFileState.READY, T0).insert(jdbi);
        aRequestFile(request, waiting).insert(jdbi);

        assertThat(candidates()).isEmpty();
        assertThat(dao().lockIfUnpinned("done", NOW.minus(PIN), NOW)).isEmpty();
    }

    @Test
    void aCompletedRequestPinsItsCopiesForThePinLifetimeAfterItsLastFileSettled() {
        CatalogEntryFixture file = ready("file", T0);
        StagingRequestFixture request = aStagingRequest().insert(jdbi);
        aRequestFile(request, file).settled(RequestFileState.READY, NOW.minus(PIN).plusSeconds(1)).insert(jdbi);

        assertThat(candidates()).isEmpty();
        assertThat(dao().evictionCandidates(NOW.minus(PIN).plusSeconds(2), NOW, 10)).extracting(EvictionCandidate::fileId)
                .containsExactly("file");
    }

    @Test
    void aRequestsOwnPinLifetimeReplacesTheConfiguredOne() {
        CatalogEntryFixture shortPin = ready("short-pin", T0);
        CatalogEntryFixture longPin = ready("long-pin", T0);
        StagingRequestFixture shortRequest = aStagingRequest().withPinSeconds(60L).insert(jdbi);
        aRequestFile(shortRequest, shortPin).settled(RequestFileState.READY, NOW.minusSeconds(61)).insert(jdbi);
        StagingRequestFixture longRequest = aStagingRequest().withPinSeconds(86_400L).insert(jdbi);
        aRequestFile(longRequest, longPin).settled(RequestFileState.READY, NOW.minus(PIN).minusSeconds(60)).insert(jdbi);

        assertThat(candidates()).containsExactly("short-pin");
    }

    @Test
    void releasedOrCancelledRequestsAndFilesReleasedOnTheirOwnPinNothing() {
        CatalogEntryFixture released = ready("released", t0Plus(1));
        CatalogEntryFixture cancelled = ready("cancelled", t0Plus(2));
        CatalogEntryFixture fileReleased = ready("file-released", t0Plus(3));
        CatalogEntryFixture pinned = ready("pinned", t0Plus(4));
        CatalogEntryFixture waiting = aCatalogEntry().insert(jdbi);
        aStagedFile(waiting).insert(jdbi);
        StagingRequestFixture releasedRequest = aStagingRequest().withReleasedAt(T0).insert(jdbi);
        aRequestFile(releasedRequest, released).settled(RequestFileState.READY, T0).insert(jdbi);
        aRequestFile(releasedRequest, waiting).insert(jdbi);
        StagingRequestFixture cancelledRequest = aStagingRequest().withCancelledAt(T0).insert(jdbi);
        aRequestFile(cancelledRequest, cancelled).settled(RequestFileState.READY, T0).insert(jdbi);
        aRequestFile(cancelledRequest, waiting).insert(jdbi);
        StagingRequestFixture pathRequest = aStagingRequest().insert(jdbi);
        aRequestFile(pathRequest, fileReleased).settled(RequestFileState.READY, T0).withReleasedAt(T0).insert(jdbi);
        aRequestFile(pathRequest, pinned).settled(RequestFileState.READY, T0).insert(jdbi);
        aRequestFile(pathRequest, waiting).insert(jdbi);

        assertThat(candidates()).containsExactly("released", "cancelled", "file-released");
        assertThat(dao().lockIfUnpinned("released", NOW.minus(PIN), NOW)).containsExactly("released");
        assertThat(dao().lockIfUnpinned("pinned", NOW.minus(PIN), NOW)).isEmpty();
    }

    @Test
    void bytesInUseCountReadyCopiesAndCopiesUnderWay() {
        aStagedFile(aCatalogEntry().withBytes(100L).insert(jdbi)).withState(FileState.READY).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(20L).insert(jdbi)).claimedBy("me", "token", NOW).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(null).insert(jdbi)).withState(FileState.READY).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(3L).insert(jdbi)).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(4L).insert(jdbi)).withState(FileState.FAILED).insert(jdbi);

        assertThat(dao().bytesInUse()).isEqualTo(120);
    }

    @Test
    void aPurgeFindsOnlyRequestsThatEndedBeforeTheCutoff() {
        Instant cutoff = t0Plus(100);
        Instant jdpCutoff = T0.minusSeconds(3600);
        CatalogEntryFixture file = aCatalogEntry().insert(jdbi);
        StagingRequestFixture completedLongAgo = request(T0, RequestFileState.READY, t0Plus(50), file);
        request(T0, RequestFileState.READY, t0Plus(150), file); // completed after the cutoff
        request(T0, RequestFileState.WAITING, null, file); // still waiting, however old
        StagingRequestFixture failedLongAgo = request(T0, RequestFileState.FAILED, t0Plus(99), file);
        StagingRequestFixture cancelled = aStagingRequest().withCreatedAt(T0).withCancelledAt(t0Plus(10)).insert(jdbi);
        aRequestFile(cancelled, file).settled(RequestFileState.CANCELLED, t0Plus(10)).insert(jdbi);
        StagingRequestFixture releasedWhileWaiting = aStagingRequest().withCreatedAt(T0).withReleasedAt(t0Plus(20)).insert(jdbi);
        aRequestFile(releasedWhileWaiting, file).insert(jdbi);
        StagingRequestFixture withoutFiles = aStagingRequest().withCreatedAt(T0).insert(jdbi);
        aStagingRequest().withCreatedAt(t0Plus(101)).insert(jdbi); // created after the cutoff

        assertThat(dao().expiredRequests(cutoff, jdpCutoff, 100)).containsExactlyInAnyOrder(completedLongAgo.requestId(),
                failedLongAgo.requestId(), cancelled.requestId(), releasedWhileWaiting.requestId(), withoutFiles.requestId());
        assertThat(dao().expiredRequests(cutoff, jdpCutoff, 2)).hasSize(2);
    }

    @Test
    void aRequestWithAJdpIdIsPurgedOnlyOnceTheDtsHasStoppedPollingIt() {
        Instant cutoff = t0Plus(100);
        CatalogEntryFixture file = aCatalogEntry().insert(jdbi);
        StagingRequestFixture young = request(T0, RequestFileState.READY, t0Plus(1), file);
        aJdpRequest(17, young).insert(jdbi);
        StagingRequestFixture old = request(T0.minus(LifecycleDao.JDP_ID_LIFETIME), RequestFileState.READY, t0Plus(1), file);
        aJdpRequest(18, old).insert(jdbi);

        List<UUID> expired = dao().expiredRequests(cutoff, T0.minus(LifecycleDao.JDP_ID_LIFETIME).plusSeconds(1), 10);

        assertThat(expired).containsExactly(old.requestId());
    }

    @Test
    void deletingARequestRemovesItsFilesPathsAndJdpIdButNoOtherRequestsRows() {
        CatalogEntryFixture file = aCatalogEntry().insert(jdbi);
        StagingRequestFixture gone = request(T0, RequestFileState.READY, T0, file);
        aRequestPath(gone, 0, "/archive/" + file.stagingPath()).naming(file).insert(jdbi);
        aJdpRequest(5, gone).insert(jdbi);
        StagingRequestFixture kept = request(T0, RequestFileState.READY, T0, file);

        jdbi.useTransaction(handle -> {
            assertThat(new RequestFileDao(handle).deleteOf(gone.requestId())).isEqualTo(1);
            assertThat(new StagingRequestDao(handle).deleteRequest(gone.requestId())).isEqualTo(1);
        });

        assertThat(Rows.column(jdbi, "staging_request", "request_id")).containsExactly(kept.requestId().toString());
        assertThat(Rows.requestFile(jdbi, kept.requestId(), file.fileId())).isPresent();
        assertThat(Rows.count(jdbi, "request_path")).isZero();
        assertThat(Rows.count(jdbi, "jdp_request")).isZero();
    }

    /** A request of one file in one state, settled at {@code completedAt} unless waiting. */
    private StagingRequestFixture request(Instant createdAt, RequestFileState state, Instant completedAt,
                                          CatalogEntryFixture file) {
        StagingRequestFixture request = aStagingRequest().withCreatedAt(createdAt).withFileCount(1).insert(jdbi);
        aRequestFile(request, file).settled(state, completedAt).insert(jdbi);
        return request;
    }
}
