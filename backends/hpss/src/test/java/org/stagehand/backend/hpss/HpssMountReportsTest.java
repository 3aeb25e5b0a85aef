package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;

/** The HPSS backend tells the service of each tape mount (a recall session begun on a volume). */
class HpssMountReportsTest {

    @TempDir
    Path temp;

    @Test
    void eachSessionOnATapeVolumeIsReportedAsTheStandInMountsItAndDiskCacheReadsAreNot() throws Exception {
        HsiStandIn hpss = new HsiStandIn(temp);
        hpss.onTape("a/one", "one", "EA0001", 30, 0)
                .onTape("a/two", "two", "EA0001", 40, 0)
                .onTape("a/three", "three", "EB0002", 10, 0)
                .onDisk("b/four", "four");
        List<StagingItem> items = List.of(hpss.item("a/one"), hpss.item("a/two"), hpss.item("a/three"),
                hpss.item("b/four"));
        RecordingListener listener = new RecordingListener();
        try (ArchiveBackend backend = hpss.build(hpss.factory())) {
            backend.stage(new StagingBatch("mounts", items), listener);
        }

        assertThat(listener.outcomes().values()).hasSize(4).allMatch(outcome -> outcome instanceof StagingOutcome.Fetched);
        List<String> mountedByStandIn = hpss.events("MOUNT").stream().map(mount -> mount.field(0)).toList();
        assertThat(mountedByStandIn).containsExactlyInAnyOrder("EA0001", "EB0002");
        assertThat(hpss.reportedMounts()).containsExactlyInAnyOrderElementsOf(mountedByStandIn);
    }
}
