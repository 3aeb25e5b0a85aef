package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import io.dropwizard.util.Duration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;

/**
 * Files queued for a volume this instance has mounted join the mount's batch under its lease
 * ({@link VolumeScheduler#joinMountedVolumes}), except while another volume starves with no drive
 * free; on H2 and PostgreSQL.
 */
class VolumeJoinDaoIT extends DaoTest {

    private static final java.time.Duration MAX_WAIT = java.time.Duration.ofMinutes(10);

    /** A clock the test moves. */
    private static final class SteppedClock extends Clock {
        private Instant now = T0;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** The running batch of the mounted volume: holds what was claimed and takes what joins. */
    private static final class RunningBatch implements VolumeScheduler.Joiner {
        final List<String> held = new ArrayList<>();

        @Override
        public Optional<Set<String>> heldBy(String token) {
            return Optional.of(Set.copyOf(held));
        }

        @Override
        public boolean add(String token, List<ClaimedFile> files) {
            files.forEach(file -> held.add(file.entry().fileId()));
            return true;
        }
    }

    private final SteppedClock clock = new SteppedClock();

    private WorkDao dao() {
        return jdbi.onDemand(WorkDao.class);
    }

    private VolumeScheduler scheduler() {
        TapeConfiguration config = new TapeConfiguration();
        config.setDueAge(Duration.seconds(0));
        config.setMaxWait(Duration.minutes(MAX_WAIT.toMinutes()));
        return OneDriveScheduler.of(dao(), config, "here", clock, java.time.Duration.ofMinutes(2));
    }

    private void queued(String fileId, String volume, long position, Instant since) {
        aStagedFile(entry(fileId)).withNotBefore(since).insert(jdbi);
        dao().recordPlaces(List.of(fileId), java.util.Arrays.asList(volume), List.of(position), List.of(0L), since);
    }

    /** Mounts volume VA on the one drive: its batch holds what was due on it. */
    private RunningBatch mountVa(VolumeScheduler scheduler) {
        RunningBatch batch = new RunningBatch();
        List<String> tokens = new ArrayList<>();
        scheduler.claimDueVolumes(() -> "token-" + tokens.size(), token -> { }, (token, files, backendDone) -> {
            tokens.add(token);
            files.forEach(file -> batch.held.add(file.entry().fileId()));
        });
        assertThat(tokens).as("mounts").hasSize(1);
        return batch;
    }

    @Test
    void aFileQueuedForTheMountedVolumeJoinsItsBatchUnderItsLease() {
        queued("a1", "VA0001", 10, T0);
        VolumeScheduler scheduler = scheduler();
        RunningBatch batch = mountVa(scheduler);
        clock.now = t0Plus(5);
        queued("a2", "VA0001", 20, clock.now);

        assertThat(scheduler.joinMountedVolumes(batch)).isEqualTo(1);

        assertThat(batch.held).containsExactly("a1", "a2");
        assertThat(dao().claimedBy("token-0")).extracting(file -> file.entry().fileId()).containsExactlyInAnyOrder("a1", "a2");
    }

    @Test
    void nothingJoinsWhileAnotherVolumeHasWaitedPastMaxWaitWithNoDriveFree() {
        queued("a1", "VA0001", 10, T0);
        VolumeScheduler scheduler = scheduler();
        RunningBatch batch = mountVa(scheduler);
        queued("b1", "VB0002", 10, t0Plus(1));
        clock.now = t0Plus(1).plus(MAX_WAIT).plusSeconds(1); // b1 starves; the one drive reads VA
        queued("a2", "VA0001", 20, clock.now);

        assertThat(scheduler.joinMountedVolumes(batch)).isZero();

        assertThat(batch.held).containsExactly("a1");
        assertThat(dao().claimedBy("token-0")).extracting(file -> file.entry().fileId()).containsExactly("a1");
    }

    @Test
    void aFileTheBatchHeldAndGaveBackWaitsForTheNextPass() {
        queued("a1", "VA0001", 10, T0);
        VolumeScheduler scheduler = scheduler();
        RunningBatch batch = mountVa(scheduler);
        batch.held.add("a0"); // read and given back to be retried: queued again on the volume
        queued("a0", "VA0001", 5, T0);

        assertThat(scheduler.joinMountedVolumes(batch)).isZero();
        assertThat(dao().claimedBy("token-0")).extracting(file -> file.entry().fileId()).containsExactly("a1");
    }
}
