package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.Rows;
import org.stagehand.testing.rows.StagingRequestFixture;

class WorkDaoIT extends DaoTest {

    private WorkDao dao() {
        return jdbi.onDemand(WorkDao.class);
    }

    private CatalogEntryFixture queued(String fileId) {
        CatalogEntryFixture entry = entry(fileId);
        aStagedFile(entry).insert(jdbi);
        return entry;
    }

    private CatalogEntryFixture claimed(String fileId, String owner, String token, java.time.Instant expires) {
        CatalogEntryFixture entry = entry(fileId);
        aStagedFile(entry).claimedBy(owner, token, expires).withAttempts(1).insert(jdbi);
        return entry;
    }

    private StagingRequestFixture waitingFor(CatalogEntryFixture... entries) {
        StagingRequestFixture request = aStagingRequest().withFileCount(entries.length).insert(jdbi);
        for (CatalogEntryFixture entry : entries) {
            aRequestFile(request, entry).insert(jdbi);
        }
        return request;
    }

    @Test
    void dueWorkIsLockedInQueueOrderUpToTheLimitAndNeverBeforeItIsDue() {
        aStagedFile(entry("a")).withNotBefore(t0Plus(10)).insert(jdbi);
        aStagedFile(entry("c")).insert(jdbi);
        aStagedFile(entry("b")).insert(jdbi);
        aStagedFile(entry("later")).withNotBefore(t0Plus(11)).insert(jdbi);
        aStagedFile(entry("active")).claimedBy("other", "t-other", t0Plus(60)).insert(jdbi);
        aStagedFile(entry("ready")).withState(FileState.READY).insert(jdbi);

        assertThat(dao().lockDue(t0Plus(10), 10, database.isPostgres())).containsExactly("b", "c", "a");
        assertThat(dao().lockDue(t0Plus(10), 2, database.isPostgres())).containsExactly("b", "c");
        assertThat(dao().lockDue(T0.minusSeconds(1), 10, database.isPostgres())).isEmpty();
    }

    @Test
    void twoTransactionsClaimingAtOnceNeverLockTheSameFile() {
        for (String id : List.of("f1", "f2", "f3", "f4")) {
            queued(id);
        }
        try (Handle first = jdbi.open(); Handle second = jdbi.open()) {
            first.begin();
            List<String> firstDue = first.attach(WorkDao.class).lockDue(T0, 2, database.isPostgres());
            second.begin();
            List<String> secondDue = second.attach(WorkDao.class).lockDue(T0, 10, database.isPostgres());
            first.attach(WorkDao.class).lease(firstDue, "one", "token-one", t0Plus(60), T0);
            if (!secondDue.isEmpty()) {
                second.attach(WorkDao.class).lease(secondDue, "two", "token-two", t0Plus(60), T0);
            }
            first.commit();
            second.commit();

            assertThat(firstDue).containsExactly("f1", "f2");
            assertThat(secondDue).noneMatch(firstDue::contains);
        }
        Set<String> byOne = new HashSet<>(dao().claimedBy("token-one").stream().map(claim -> claim.entry().fileId()).toList());
        Set<String> byTwo = new HashSet<>(dao().claimedBy("token-two").stream().map(claim -> claim.entry().fileId()).toList());
        assertThat(byOne).hasSize(2);
        assertThat(byTwo).noneMatch(byOne::contains);
    }

    /**
     * Several instances share one PostgreSQL queue: a claimer skips the rows a concurrent one has
     * locked and takes the next due ones. H2 would lock every due row that a {@code FOR UPDATE}
     * with an {@code ORDER BY} reads, not only those it returns, and the second claimer would find
     * none.
     */
    @Test
    void aSecondClaimerTakesTheDueFilesTheFirstDidNotLock() {
        for (String id : List.of("f1", "f2", "f3", "f4")) {
            queued(id);
        }
        try (Handle first = jdbi.open(); Handle second = jdbi.open()) {
            first.begin();
            assertThat(first.attach(WorkDao.class).lockDue(T0, 2, database.isPostgres())).containsExactly("f1", "f2");
            second.begin();
            assertThat(second.attach(WorkDao.class).lockDue(T0, 10, database.isPostgres())).containsExactly("f3", "f4");
            first.rollback();
            second.rollback();
        }
    }

    @Test
    void aClaimOfFilesOnNoVolumeLocksOnlyThoseItReturns() {
        for (String id : List.of("f1", "f2", "f3", "f4")) {
            queued(id);
        }
        List<String> onNoVolume = Arrays.asList(null, null, null, null);
        dao().recordPlaces(List.of("f1", "f2", "f3", "f4"), onNoVolume, List.of(0L, 0L, 0L, 0L), List.of(0L, 0L, 0L, 0L), T0);
        try (Handle first = jdbi.open(); Handle second = jdbi.open()) {
            first.begin();
            assertThat(first.attach(WorkDao.class).lockDueOffTape(T0, 1, database.isPostgres())).containsExactly("f1");
            second.begin();
            assertThat(second.attach(WorkDao.class).lockDueOffTape(T0, 10, database.isPostgres()))
                    .containsExactly("f2", "f3", "f4");
            first.rollback();
            second.rollback();
        }
    }

    @Test
    void aCommittedClaimIsNotDueForTheNextClaimer() {
        queued("f1");
        List<String> due = dao().lockDue(T0, 10, database.isPostgres());
        dao().lease(due, "one", "token-one", t0Plus(60), T0);

        assertThat(dao().lockDue(t0Plus(1), 10, database.isPostgres())).isEmpty();
    }

    @Test
    void aLeaseClaimsOnlyQueuedFilesCountsTheAttemptAndStopsTheWaitForSpace() {
        aStagedFile(entry("queued")).withAttempts(2).waitingForSpace().insert(jdbi);
        aStagedFile(entry("ready")).withState(FileState.READY).insert(jdbi);

        int leased = dao().lease(List.of("queued", "ready"), "me", "token-1", t0Plus(60), t0Plus(1));

        assertThat(leased).isEqualTo(1);
        Rows.StagedFileRow row = Rows.stagedFile(jdbi, "queued").orElseThrow();
        assertThat(row.state()).isEqualTo("ACTIVE");
        assertThat(row.attempts()).isEqualTo(3);
        assertThat(row.leaseOwner()).isEqualTo("me");
        assertThat(row.leaseToken()).isEqualTo("token-1");
        assertThat(row.leaseExpiresAt()).isEqualTo(t0Plus(60));
        assertThat(row.waitingForSpace()).isFalse();
        assertThat(Rows.workState(jdbi, "ready")).isEqualTo("READY");
        assertThat(dao().claimedBy("token-1")).singleElement().satisfies(claim -> {
            assertThat(claim.entry().fileId()).isEqualTo("queued");
            assertThat(claim.entry().stagingPath().value()).isEqualTo("data/queued");
            assertThat(claim.attempt()).isEqualTo(3);
        });
    }

    @Test
    void sizesOfFilesWithoutAKnownSizeCountAsZero() {
        aCatalogEntry().withFileId("sized").withBytes(42L).insert(jdbi);
        aCatalogEntry().withFileId("unsized").withBytes(null).insert(jdbi);

        assertThat(dao().sizes(List.of("sized", "unsized", "absent"))).containsOnly(Map.entry("sized", 42L),
                Map.entry("unsized", 0L));
    }

    @Test
    void aQueuedFileFailsForEveryRequestWaitingOnItButAClaimedOneDoesNot() {
        CatalogEntryFixture queued = queued("queued");
        CatalogEntryFixture claimed = claimed("claimed", "me", "token-1", t0Plus(60));
        StagingRequestFixture request = waitingFor(queued, claimed);

        assertThat(dao().failPending("queued", "too large", t0Plus(5))).isTrue();
        assertThat(dao().failPending("claimed", "too large", t0Plus(5))).isFalse();

        assertThat(Rows.stagedFile(jdbi, "queued").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::lastError).containsExactly("FAILED", "too large");
        assertThat(Rows.requestFile(jdbi, request.requestId(), "queued").orElseThrow())
                .extracting(Rows.RequestFileRow::state, Rows.RequestFileRow::error, Rows.RequestFileRow::completedAt)
                .containsExactly("FAILED", "too large", t0Plus(5));
        assertThat(Rows.workState(jdbi, "claimed")).isEqualTo("ACTIVE");
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "claimed")).isEqualTo("WAITING");
    }

    @Test
    void recordingFinishedFilesRecordsOnlyThoseStillHeldUnderTheirTokensAndLeavesSettledRequestsAlone() {
        CatalogEntryFixture held = claimed("held", "me", "token-1", t0Plus(60));
        CatalogEntryFixture takenOver = claimed("taken-over", "peer", "token-peer", t0Plus(60));
        StagingRequestFixture waiting = waitingFor(held, takenOver);
        StagingRequestFixture cancelled = aStagingRequest().withCancelledAt(T0).insert(jdbi);
        aRequestFile(cancelled, held).settled(RequestFileState.CANCELLED, T0).insert(jdbi);

        Set<String> recorded = dao().failClaimed(Map.of("held", "token-1", "taken-over", "token-1"),
                "the archive said no", t0Plus(5));

        assertThat(recorded).containsExactly("held");
        Rows.StagedFileRow row = Rows.stagedFile(jdbi, "held").orElseThrow();
        assertThat(row.state()).isEqualTo("FAILED");
        assertThat(row.leaseToken()).isNull();
        assertThat(row.leaseOwner()).isNull();
        assertThat(row.leaseExpiresAt()).isNull();
        assertThat(Rows.requestFileState(jdbi, waiting.requestId(), "held")).isEqualTo("FAILED");
        assertThat(Rows.requestFileState(jdbi, cancelled.requestId(), "held")).isEqualTo("CANCELLED");
        assertThat(Rows.stagedFile(jdbi, "taken-over").orElseThrow().leaseToken()).isEqualTo("token-peer");
        assertThat(Rows.requestFileState(jdbi, waiting.requestId(), "taken-over")).isEqualTo("WAITING");
    }

    @Test
    void recordingReadyMovesOnlyHeldFilesIntoPlaceAndRecordsOnlyThoseMoved() {
        CatalogEntryFixture placed = claimed("placed", "me", "token-1", t0Plus(60));
        CatalogEntryFixture notPlaced = claimed("not-placed", "me", "token-1", t0Plus(60));
        claimed("lost", "peer", "token-peer", t0Plus(60));
        StagingRequestFixture request = waitingFor(placed, notPlaced);
        List<Set<String>> offered = new ArrayList<>();

        Set<String> ready = dao().placeAndSettleReady(Map.of("placed", "token-1", "not-placed", "token-1", "lost", "token-1"),
                t0Plus(5), held -> {
                    offered.add(Set.copyOf(held));
                    return Set.of("placed");
                });

        assertThat(offered).containsExactly(Set.of("placed", "not-placed"));
        assertThat(ready).containsExactly("placed");
        assertThat(Rows.workState(jdbi, "placed")).isEqualTo("READY");
        assertThat(Rows.requestFile(jdbi, request.requestId(), "placed").orElseThrow().completedAt()).isEqualTo(t0Plus(5));
        assertThat(Rows.workState(jdbi, "not-placed")).isEqualTo("ACTIVE");
        assertThat(Rows.requestFileState(jdbi, request.requestId(), "not-placed")).isEqualTo("WAITING");
        assertThat(Rows.workState(jdbi, "lost")).isEqualTo("ACTIVE");
    }

    @Test
    void recordingReadyWithNoClaimHeldMovesNothing() {
        claimed("lost", "peer", "token-peer", t0Plus(60));
        List<Set<String>> offered = new ArrayList<>();

        Set<String> ready = dao().placeAndSettleReady(Map.of("lost", "token-1"), t0Plus(5), held -> {
            offered.add(held);
            return held;
        });

        assertThat(ready).isEmpty();
        assertThat(offered).isEmpty();
    }

    @Test
    void rescheduleQueuesAClaimAgainOnlyUnderItsOwnToken() {
        claimed("f", "me", "token-1", t0Plus(60));

        assertThat(dao().reschedule("f", "token-2", t0Plus(30), "later", t0Plus(1))).isZero();
        assertThat(Rows.workState(jdbi, "f")).isEqualTo("ACTIVE");

        assertThat(dao().reschedule("f", "token-1", t0Plus(30), "busy", t0Plus(1))).isEqualTo(1);
        Rows.StagedFileRow row = Rows.stagedFile(jdbi, "f").orElseThrow();
        assertThat(row.state()).isEqualTo("PENDING");
        assertThat(row.notBefore()).isEqualTo(t0Plus(30));
        assertThat(row.lastError()).isEqualTo("busy");
        assertThat(row.leaseToken()).isNull();
        assertThat(row.attempts()).isEqualTo(1);
    }

    @Test
    void takingBackRequeuesExpiredLeasesAndThisInstancesDeadClaimsButNoLiveOnes() {
        claimed("expired", "peer", "token-expired", T0.minusSeconds(1));
        claimed("peer-live", "peer", "token-peer", t0Plus(60));
        claimed("own-dead", "me", "token-dead", t0Plus(60));
        claimed("own-live", "me", "token-live", t0Plus(60));

        List<ExpiredLease> takenBack = dao().takeBack(T0, "me", "token-live"::equals);

        assertThat(takenBack).containsExactlyInAnyOrder(new ExpiredLease("expired", "data/expired", "token-expired"),
                new ExpiredLease("own-dead", "data/own-dead", "token-dead"));
        for (String id : List.of("expired", "own-dead")) {
            Rows.StagedFileRow row = Rows.stagedFile(jdbi, id).orElseThrow();
            assertThat(row.state()).isEqualTo("PENDING");
            assertThat(row.notBefore()).isEqualTo(T0);
            assertThat(row.leaseToken()).isNull();
            assertThat(row.lastError()).isEqualTo("its claim was abandoned");
        }
        assertThat(Rows.workState(jdbi, "peer-live")).isEqualTo("ACTIVE");
        assertThat(Rows.workState(jdbi, "own-live")).isEqualTo("ACTIVE");
    }

    @Test
    void takingBackPassesOverAnExpiredClaimWhoseRowAnotherTransactionHoldsLocked() {
        claimed("locked", "peer", "token-peer", T0.minusSeconds(1));
        claimed("free", "peer", "token-peer", T0.minusSeconds(1));
        try (Handle holder = jdbi.open()) {
            holder.begin();
            assertThat(holder.attach(WorkDao.class).lockClaims(List.of("locked"))).containsKey("locked");

            List<ExpiredLease> takenBack = dao().takeBack(T0, "me", token -> false);

            assertThat(takenBack).extracting(ExpiredLease::fileId).containsExactly("free");
            holder.rollback();
        }
        assertThat(Rows.workState(jdbi, "locked")).isEqualTo("ACTIVE");
    }

    @Test
    void aCancelledClaimIsQueuedAgainWhileARequestWaitsAndSetAsideWhenNoneDoes() {
        CatalogEntryFixture wanted = claimed("wanted", "me", "token-1", t0Plus(60));
        claimed("unwanted", "me", "token-1", t0Plus(60));
        waitingFor(wanted);

        assertThat(dao().unwantedClaims(List.of("token-1"))).containsExactly("unwanted");
        dao().releaseCancelled("wanted", "token-1", t0Plus(2));
        dao().releaseCancelled("unwanted", "token-1", t0Plus(2));

        assertThat(Rows.stagedFile(jdbi, "wanted").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::notBefore, Rows.StagedFileRow::leaseToken)
                .containsExactly("PENDING", t0Plus(2), null);
        assertThat(Rows.stagedFile(jdbi, "unwanted").orElseThrow())
                .extracting(Rows.StagedFileRow::state, Rows.StagedFileRow::leaseToken).containsExactly("IDLE", null);
    }

    @Test
    void aCancelledClaimThatIsNoLongerOursIsLeftAlone() {
        claimed("f", "peer", "token-peer", t0Plus(60));

        dao().releaseCancelled("f", "token-1", t0Plus(2));

        assertThat(Rows.stagedFile(jdbi, "f").orElseThrow().leaseToken()).isEqualTo("token-peer");
    }

    @Test
    void activeLeaseTokensNameEachClaimUnderWayOnce() {
        claimed("a", "me", "token-1", t0Plus(60));
        claimed("b", "me", "token-1", t0Plus(60));
        claimed("c", "peer", "token-2", t0Plus(60));
        queued("d");

        assertThat(dao().activeLeaseTokens()).containsExactlyInAnyOrder("token-1", "token-2");
    }

    @Test
    void forgettingACopyDeletesOnlyAReadyRow() {
        aStagedFile(entry("ready")).withState(FileState.READY).insert(jdbi);
        claimed("copying", "me", "token", t0Plus(60));

        assertThat(dao().forgetCopy("ready")).isEqualTo(1);
        assertThat(dao().forgetCopy("copying")).isZero();
        assertThat(Rows.stagedFile(jdbi, "ready")).isEmpty();
        assertThat(Rows.workState(jdbi, "copying")).isEqualTo("ACTIVE");
    }
}
