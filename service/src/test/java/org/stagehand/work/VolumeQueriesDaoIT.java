package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.CatalogEntryFixture;

/** The volume-planning statements of {@link WorkDao} ({@link VolumeQueries}), on H2 and PostgreSQL. */
class VolumeQueriesDaoIT extends DaoTest {

    private WorkDao dao() {
        return jdbi.onDemand(WorkDao.class);
    }

    private CatalogEntryFixture queued(String fileId, long bytes) {
        CatalogEntryFixture entry = aCatalogEntry().withFileId(fileId).withStagingPath("data/" + fileId)
                .withArchiveLocation("archive/" + fileId).withBytes(bytes).insert(jdbi);
        aStagedFile(entry).insert(jdbi);
        return entry;
    }

    /** Records places: {fileId, volume or null, position, offset} each. */
    private void place(Object[]... places) {
        List<String> ids = new ArrayList<>();
        List<String> volumes = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (Object[] place : places) {
            ids.add((String) place[0]);
            volumes.add((String) place[1]);
            positions.add(((Number) place[2]).longValue());
            offsets.add(((Number) place[3]).longValue());
        }
        dao().recordPlaces(ids, volumes, positions, offsets, T0);
    }

    @Test
    void queuedFilesAreLocatedOnceThenPlannedByVolumeAndTheRestGoInBatches() {
        queued("a", 100);
        queued("b", 200);
        queued("c", 300);
        assertThat(dao().unlocated(10)).extracting(VolumeQueries.Unlocated::fileId).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(dao().unlocated(10)).extracting(VolumeQueries.Unlocated::archiveLocation).contains("archive/a");
        assertThat(dao().lockDueOffTape(T0, 10, database.isPostgres())).as("nothing is claimed before it is located").isEmpty();

        place(new Object[] {"a", "VA0001", 30, 0}, new Object[] {"b", "VA0001", 10, 0}, new Object[] {"c", null, 0, 0});

        assertThat(dao().unlocated(10)).isEmpty();
        assertThat(dao().dueByVolume(T0)).singleElement().satisfies(queue -> {
            assertThat(queue.volume()).isEqualTo("VA0001");
            assertThat(queue.files()).isEqualTo(2);
            assertThat(queue.bytes()).isEqualTo(300);
            assertThat(queue.oldestDueSince()).isEqualTo(T0);
        });
        assertThat(dao().lockDueOffTape(T0, 10, database.isPostgres())).as("placed on no volume: batches as before").containsExactly("c");
        assertThat(dao().lockDue(T0, 10, database.isPostgres())).as("with scheduling BATCHES places are ignored").hasSize(3);
    }

    @Test
    void aVolumesDueFilesComeInReadOrderAndNeverBeforeTheyAreDue() {
        queued("p3", 1);
        queued("p1", 1);
        queued("p2b", 1);
        queued("p2a", 1);
        aStagedFile(aCatalogEntry().withFileId("later").withStagingPath("data/later").insert(jdbi))
                .withNotBefore(t0Plus(60)).insert(jdbi);
        place(new Object[] {"p3", "VB0001", 300, 0}, new Object[] {"p1", "VB0001", 100, 0},
                new Object[] {"p2b", "VB0001", 200, 7}, new Object[] {"p2a", "VB0001", 200, 3},
                new Object[] {"later", "VB0001", 50, 0});

        List<String> due = jdbi.inTransaction(handle -> {
            WorkDao transaction = handle.attach(WorkDao.class);
            assertThat(transaction.lockVolume("VB0001")).hasSize(5).extracting(VolumeQueries.LockedFile::state)
                    .containsOnly(FileState.PENDING);
            return transaction.dueOnVolume("VB0001", T0, 10);
        });
        assertThat(due).containsExactly("p1", "p2a", "p2b", "p3");
        assertThat(dao().dueOnVolume("VB0001", T0, 2)).containsExactly("p1", "p2a");
        assertThat(dao().dueByVolume(T0)).singleElement().extracting(MountPolicy.VolumeQueue::files).isEqualTo(4);
    }

    @Test
    void aSecondClaimOfAVolumeWaitsForTheFirstAndSeesItsClaims() throws Exception {
        for (String id : List.of("v1", "v2", "v3")) {
            queued(id, 10);
        }
        place(new Object[] {"v1", "VC0001", 1, 0}, new Object[] {"v2", "VC0001", 2, 0}, new Object[] {"v3", "VC0001", 3, 0});
        try (Handle first = jdbi.open(); Handle second = jdbi.open()) {
            first.begin();
            WorkDao firstDao = first.attach(WorkDao.class);
            assertThat(firstDao.lockVolume("VC0001")).extracting(VolumeQueries.LockedFile::state).doesNotContain(FileState.ACTIVE);
            List<String> claimed = firstDao.dueOnVolume("VC0001", T0, 10);
            firstDao.lease(claimed, "one", "token-one", t0Plus(60), T0);

            CompletableFuture<List<VolumeQueries.LockedFile>> secondLook = CompletableFuture.supplyAsync(() -> {
                second.begin();
                try {
                    return second.attach(WorkDao.class).lockVolume("VC0001");
                } finally {
                    second.rollback();
                }
            });
            Thread.sleep(300);
            assertThat(secondLook).as("the second claim waits for the first's locks").isNotDone();
            first.commit();

            assertThat(secondLook.get(10, TimeUnit.SECONDS)).as("and then sees the volume claimed, by whom")
                    .contains(new VolumeQueries.LockedFile("v1", FileState.ACTIVE, Optional.of("one")));
        }
        assertThat(dao().volumesInProgressElsewhere("two")).containsExactly("VC0001");
        assertThat(dao().volumesInProgressElsewhere("one")).as("its own claims an instance knows").isEmpty();
        assertThat(dao().dueByVolume(T0)).isEmpty();
    }

    @Test
    void theSnapshotListsQueuedAndClaimedFilesOnTapeInReadOrder() {
        queued("q2", 20);
        queued("q1", 10);
        aStagedFile(aCatalogEntry().withFileId("w1").withStagingPath("data/w1").withBytes(5L).insert(jdbi))
                .claimedBy("inst-a", "tok", t0Plus(60)).withAttempts(1).insert(jdbi);
        queued("disk", 1);
        place(new Object[] {"q2", "VD0001", 20, 0}, new Object[] {"q1", "VD0001", 10, 0},
                new Object[] {"w1", "VE0001", 5, 0}, new Object[] {"disk", null, 0, 0});

        List<VolumeQueries.FileOnTape> files = dao().filesOnTape(T0);

        assertThat(files).extracting(VolumeQueries.FileOnTape::volume).containsExactly("VD0001", "VD0001", "VE0001");
        assertThat(files).extracting(file -> file.file().fileId()).containsExactly("q1", "q2", "w1");
        assertThat(files.get(2).claimed()).isTrue();
        assertThat(files.get(2).file().leaseOwner()).contains("inst-a");
        assertThat(files.get(0).file().bytes()).isEqualTo(10);
        assertThat(Arrays.asList(files.get(0).claimed(), files.get(1).claimed())).containsOnly(false);
    }
}
