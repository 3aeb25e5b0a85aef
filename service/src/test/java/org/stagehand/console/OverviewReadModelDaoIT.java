package org.stagehand.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.RequestFileFixture.aRequestFile;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.StagingRequestFixture.aStagingRequest;

import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;
import org.stagehand.testing.rows.StagingRequestFixture;
import org.stagehand.testing.rows.Times;
import org.stagehand.work.FileState;
import org.stagehand.work.RequestFileState;

class OverviewReadModelDaoIT extends DaoTest {

    private OverviewReadModel readModel() {
        return new OverviewReadModel(jdbi);
    }

    private void fileOf(StagingRequestFixture request, RequestFileState state) {
        CatalogEntryFixture entry = aCatalogEntry().insert(jdbi);
        aRequestFile(request, entry).withState(state).insert(jdbi);
    }

    @Test
    void requestCountsDeriveEachStatusAsTheStatusAnswerDoes() {
        StagingRequestFixture ready = aStagingRequest().insert(jdbi);
        fileOf(ready, RequestFileState.READY);
        fileOf(ready, RequestFileState.READY);
        // A failed file does not make a request failed while another still waits.
        StagingRequestFixture staging = aStagingRequest().insert(jdbi);
        fileOf(staging, RequestFileState.FAILED);
        fileOf(staging, RequestFileState.WAITING);
        StagingRequestFixture failed = aStagingRequest().insert(jdbi);
        fileOf(failed, RequestFileState.FAILED);
        fileOf(failed, RequestFileState.READY);
        // Cancelled wins over failed.
        StagingRequestFixture cancelled = aStagingRequest().withCancelledAt(Times.t0Plus(5)).insert(jdbi);
        fileOf(cancelled, RequestFileState.FAILED);
        fileOf(cancelled, RequestFileState.CANCELLED);
        // A request that names no catalog file (every path unknown) is ready, as its status says.
        aStagingRequest().withFileCount(0).insert(jdbi);

        ConsoleJson.RequestCounts counts = readModel().requestCounts();

        assertThat(counts).isEqualTo(new ConsoleJson.RequestCounts(5, 1, 2, 1, 1));
    }

    @Test
    void fileCountsSplitTheQueueAndCountTheHoursFailures() {
        aStagedFile(aCatalogEntry().insert(jdbi)).withNotBefore(Times.t0Plus(-10)).insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).withNotBefore(Times.t0Plus(60)).insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).waitingForSpace().insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).claimedBy("a", "t1", Times.t0Plus(120)).insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).claimedBy("a", "t1", Times.t0Plus(120)).insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).withState(FileState.FAILED).withLastError("gone").insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).withState(FileState.READY).insert(jdbi);

        assertThat(readModel().fileCounts(Times.T0, Times.t0Plus(-3600)))
                .isEqualTo(new ConsoleJson.FileCounts(1, 1, 1, 2, 1));
        // Failures older than the hour are not counted.
        assertThat(readModel().fileCounts(Times.T0, Times.t0Plus(1)).failedLastHour()).isZero();
        assertThat(readModel().failuresSince(Times.t0Plus(-3600), 20))
                .containsExactly(new ConsoleJson.FailureReason("gone", 1));
    }

    @Test
    void readyCopiesAreSummedPerMinuteAndInAll() {
        aStagedFile(aCatalogEntry().withBytes(1_000L).insert(jdbi)).withState(FileState.READY).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(2_000L).insert(jdbi)).withState(FileState.READY).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(4_000L).insert(jdbi)).claimedBy("b", "t2", Times.t0Plus(60)).insert(jdbi);

        assertThat(readModel().readyPerMinute(Times.t0Plus(-60)))
                .containsExactly(new ConsoleJson.Minute(Times.T0.toString(), 2, 3_000));
        assertThat(readModel().readyPerMinute(Times.t0Plus(1))).isEmpty();
        assertThat(readModel().readyBytes()).isEqualTo(3_000);
        assertThat(readModel().underWay()).containsExactly(new ConsoleJson.UnderWay("b", 1, 4_000));
    }

    @Test
    void aReadyCopyIsPinnedByAnUnreleasedRequestThatWaitsOrCompletedRecently() {
        CatalogEntryFixture waitedFor = aCatalogEntry().withBytes(10L).insert(jdbi);
        CatalogEntryFixture old = aCatalogEntry().withBytes(20L).insert(jdbi);
        aStagedFile(waitedFor).withState(FileState.READY).insert(jdbi);
        aStagedFile(old).withState(FileState.READY).insert(jdbi);
        StagingRequestFixture waiting = aStagingRequest().insert(jdbi);
        aRequestFile(waiting, waitedFor).settled(RequestFileState.READY, Times.t0Plus(-7200)).insert(jdbi);
        fileOf(waiting, RequestFileState.WAITING);
        StagingRequestFixture done = aStagingRequest().insert(jdbi);
        aRequestFile(done, old).settled(RequestFileState.READY, Times.t0Plus(-7200)).insert(jdbi);

        // Pinned for an hour after completion: the waiting request pins its copy, the old one none.
        assertThat(readModel().pinnedBytes(Times.t0Plus(-3600), Times.T0)).isEqualTo(10);
        assertThat(readModel().pinnedBytes(Times.t0Plus(-86400), Times.T0)).isEqualTo(30);
    }
}
