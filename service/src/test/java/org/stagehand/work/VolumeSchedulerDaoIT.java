package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.StagedFileFixture;

/** {@link VolumeScheduler} claiming volumes over the real statements, on H2 and PostgreSQL. */
class VolumeSchedulerDaoIT extends DaoTest {

    private static final String HERE = "here";

    private final List<List<String>> submitted = new ArrayList<>();

    private WorkDao dao() {
        return jdbi.onDemand(WorkDao.class);
    }

    private VolumeScheduler scheduler() {
        Clock clock = Clock.fixed(t0Plus(600), ZoneOffset.UTC);
        return OneDriveScheduler.of(dao(), new TapeConfiguration(), HERE, clock, Duration.ofMinutes(1));
    }

    private int claim(VolumeScheduler scheduler) {
        int[] tokens = {0};
        return scheduler.claimDueVolumes(() -> "token-" + ++tokens[0], token -> { }, (token, files, backendDone) ->
                submitted.add(files.stream().map(file -> file.entry().fileId()).toList()));
    }

    /** A work row on tape volume VD0001, queued or as {@code claim} makes it. */
    private void onVolume(String fileId, long position, java.util.function.UnaryOperator<StagedFileFixture> claim) {
        claim.apply(aStagedFile(aCatalogEntry().withFileId(fileId).withStagingPath("data/" + fileId)
                .withArchiveLocation("archive/" + fileId).withBytes(10L).insert(jdbi))).insert(jdbi);
        dao().recordPlaces(List.of(fileId), List.of("VD0001"), List.of(position), List.of(0L), T0);
    }

    @Test
    void aVolumeWhosePassEndedHereIsClaimedAgainWhileTheFilesItReadStillAwaitPromotion() {
        onVolume("read", 10, file -> file.claimedBy(HERE, "token-pass-1", t0Plus(900)));
        onVolume("arrived", 5, file -> file);

        assertThat(claim(scheduler())).isEqualTo(1);
        assertThat(submitted).containsExactly(List.of("arrived"));
    }

    @Test
    void aVolumesFilesReachTheBackendInTapeOrder() {
        onVolume("a-last", 30, file -> file);
        onVolume("b-first", 10, file -> file);
        onVolume("c-second", 20, file -> file.withNotBefore(T0.minusSeconds(60)));

        assertThat(claim(scheduler())).isEqualTo(1);
        assertThat(submitted).containsExactly(List.of("b-first", "c-second", "a-last"));
    }

    @Test
    void aVolumeAnotherInstanceHoldsAClaimOnIsLeftAlone() {
        onVolume("read", 10, file -> file.claimedBy("elsewhere", "token-there", t0Plus(900)));
        onVolume("arrived", 5, file -> file);

        assertThat(claim(scheduler())).isZero();
        assertThat(submitted).isEmpty();
    }
}
