package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;

/**
 * Files that arrive for a volume while its hsi session reads it join that session (hsi is fed its
 * commands on standard input): read in this pass when they lie ahead of the head, after the
 * forward pass in the same mount when they lie behind it, and not at all when another volume
 * waits for the drive. Real hsi stand-in processes; its log shows the mounts and the positions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MountedVolumeJoinTest {

    @TempDir
    Path temp;

    private HsiStandIn hpss;
    private ArchiveBackend backend;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final RecordingListener listener = new RecordingListener();

    @BeforeEach
    void setUp() throws Exception {
        hpss = new HsiStandIn(temp);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (backend != null) {
            backend.close();
        }
        threads.shutdownNow();
    }

    private ArchiveBackend backend(int maxSessions) throws Exception {
        HpssBackendFactory factory = hpss.factory();
        factory.setMaxSessions(maxSessions);
        backend = hpss.build(factory);
        return backend;
    }

    private Future<?> stageInBackground(List<StagingItem> items) {
        return threads.submit(() -> {
            backend.stage(new StagingBatch("batch-" + System.nanoTime(), items), listener);
            return null;
        });
    }

    private void awaitEvents(String kind, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (hpss.events(kind).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(hpss.events(kind)).hasSizeGreaterThanOrEqualTo(count);
    }

    private List<String> readOrder() throws Exception {
        return hpss.events("READ").stream().map(HsiStandIn.Event::readPath).toList();
    }

    private List<StagingItem> onTape(String volume, int... positions) throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int position : positions) {
            String location = volume + "/at" + position;
            hpss.onTape(location, "bytes at " + position, volume, position, 0);
            items.add(hpss.item(location));
        }
        return items;
    }

    @Test
    void aFileThatArrivesAheadOfTheHeadOfTheVolumeBeingReadIsReadInThePassUnderWay() throws Exception {
        hpss.set("HSI_STANDIN_READ_MS", "1500");
        backend(2);
        List<StagingItem> first = onTape("EA0001", 10, 20, 30, 90);
        List<StagingItem> late = onTape("EA0001", 70);
        Future<?> firstStaging = stageInBackground(first);
        awaitEvents("LOCATE", 1); // hsi reads the file at 10, and was given the one at 20

        backend.stage(new StagingBatch("late", late), listener);
        firstStaging.get(40, TimeUnit.SECONDS);

        assertThat(listener.outcomes().values()).hasSize(5).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(listener.content(late.get(0))).isEqualTo("bytes at 70");
        assertThat(hpss.events("MOUNT")).hasSize(1);
        assertThat(readOrder()).containsExactly(HsiStandIn.hpssPath("EA0001/at10"), HsiStandIn.hpssPath("EA0001/at20"),
                HsiStandIn.hpssPath("EA0001/at30"), HsiStandIn.hpssPath("EA0001/at70"), HsiStandIn.hpssPath("EA0001/at90"));
    }

    @Test
    void aFileForTheVolumeBeingReadIsLocatedAndJoinsWhileEverySessionReads() throws Exception {
        hpss.set("HSI_STANDIN_READ_MS", "1500");
        backend(1); // the one session reads: the late file's ls -P must not wait for it
        List<StagingItem> first = onTape("EA0001", 10, 20, 30, 90);
        List<StagingItem> late = onTape("EA0001", 70);
        Future<?> firstStaging = stageInBackground(first);
        awaitEvents("LOCATE", 1);

        backend.stage(new StagingBatch("late", late), listener);
        firstStaging.get(40, TimeUnit.SECONDS);

        assertThat(hpss.events("MOUNT")).hasSize(1);
        assertThat(readOrder()).containsExactly(HsiStandIn.hpssPath("EA0001/at10"), HsiStandIn.hpssPath("EA0001/at20"),
                HsiStandIn.hpssPath("EA0001/at30"), HsiStandIn.hpssPath("EA0001/at70"), HsiStandIn.hpssPath("EA0001/at90"));
    }

    @Test
    void aFileThatArrivesBehindTheHeadIsReadInTheSameMountAfterTheForwardPass() throws Exception {
        hpss.set("HSI_STANDIN_READ_MS", "1000");
        backend(2);
        List<StagingItem> first = onTape("EA0001", 10, 50, 90);
        List<StagingItem> late = onTape("EA0001", 5);
        Future<?> firstStaging = stageInBackground(first);
        awaitEvents("LOCATE", 2); // the head has passed 5 and 10: hsi reads the file at 50

        backend.stage(new StagingBatch("late", late), listener);
        firstStaging.get(40, TimeUnit.SECONDS);

        assertThat(listener.outcomes().values()).hasSize(4).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(hpss.events("MOUNT")).hasSize(1);
        assertThat(readOrder()).containsExactly(HsiStandIn.hpssPath("EA0001/at10"), HsiStandIn.hpssPath("EA0001/at50"),
                HsiStandIn.hpssPath("EA0001/at90"), HsiStandIn.hpssPath("EA0001/at5"));
        HsiStandIn.Event back = hpss.events("LOCATE").get(3);
        assertThat(back.detail()).isEqualTo("EA0001 90+0 5+0"); // one locate back instead of another mount
    }

    @Test
    void aSessionTakesNoFileWhileAnotherVolumeWaitsForItsDrive() throws Exception {
        hpss.set("HSI_STANDIN_READ_MS", "1000");
        backend(1);
        List<StagingItem> first = onTape("EA0001", 10, 20);
        Future<?> firstStaging = stageInBackground(first);
        awaitEvents("LOCATE", 1);
        List<StagingItem> waiting = onTape("EB0002", 40);
        List<StagingItem> late = onTape("EA0001", 30);
        List<StagingItem> both = new ArrayList<>(waiting);
        both.addAll(late);

        backend.stage(new StagingBatch("other volume first", both), listener);
        firstStaging.get(40, TimeUnit.SECONDS);

        assertThat(listener.outcomes().values()).hasSize(4).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(hpss.events("MOUNT")).extracting(mount -> mount.field(0)).containsExactly("EA0001", "EB0002", "EA0001");
        assertThat(readOrder()).containsExactly(HsiStandIn.hpssPath("EA0001/at10"), HsiStandIn.hpssPath("EA0001/at20"),
                HsiStandIn.hpssPath("EB0002/at40"), HsiStandIn.hpssPath("EA0001/at30"));
    }

    @Test
    void filesTheServiceAddsToTheBatchOfAMountedVolumeAreReadInTheSameMount() throws Exception {
        hpss.set("HSI_STANDIN_READ_MS", "2000");
        backend(2);
        List<StagingItem> first = onTape("EA0001", 10, 20, 90);
        List<StagingItem> added = onTape("EA0001", 60);
        StagingBatch batch = new StagingBatch("volume EA0001", first);
        Future<?> staging = threads.submit(() -> {
            backend.stage(batch, listener);
            return null;
        });
        awaitEvents("LOCATE", 1);

        assertThat(batch.addItems(added)).isTrue();
        staging.get(40, TimeUnit.SECONDS);

        assertThat(listener.outcomes().values()).hasSize(4).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        assertThat(hpss.events("MOUNT")).hasSize(1);
        assertThat(readOrder()).containsExactly(HsiStandIn.hpssPath("EA0001/at10"), HsiStandIn.hpssPath("EA0001/at20"),
                HsiStandIn.hpssPath("EA0001/at60"), HsiStandIn.hpssPath("EA0001/at90"));
        assertThat(batch.takesMoreItems()).isFalse(); // stage() returned: the service adds nothing more
    }
}
