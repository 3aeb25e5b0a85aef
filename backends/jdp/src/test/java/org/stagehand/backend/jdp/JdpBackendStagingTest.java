package org.stagehand.backend.jdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;

/** The normal flow against a fake archive: one restore per batch, polls, byte-identical files. */
class JdpBackendStagingTest extends ArchiveTestSupport {

    @Test
    void stagesEveryFileOfABatchByteIdenticalWithOneRestoreRequest() throws Exception {
        archive.restoreLatency(Duration.ofMillis(200));
        backend();
        List<StagingItem> items = new ArrayList<>();
        int[] sizes = {0, 1, 4095, 65_536, 1_000_003, 3 << 20};
        String[] algorithms = {"md5", "sha256", null};
        for (int i = 0; i < 18; i++) {
            String id = "61412246cc4ff44f36c8" + String.format("%04d", i);
            archived(id, sizes[i % sizes.length]);
            items.add(item(id, algorithms[i % algorithms.length]));
        }

        RecordingListener listener = stage(items.toArray(StagingItem[]::new));

        for (StagingItem item : items) {
            assertFetchedIntact(listener, item);
        }
        assertThat(archive.restoreCalls()).hasSize(1);
        FakeJdpArchive.RestoreCall call = archive.restoreCalls().get(0);
        assertThat(call.ids()).containsExactlyElementsOf(items.stream().map(StagingItem::archiveLocation).toList());
        assertThat(call.sendEmail()).isFalse();
        assertThat(call.apiVersion()).isEqualTo("2");
        assertThat(archive.statusCalls()).as("polled while new/pending").hasSizeGreaterThan(1);
        assertThat(archive.downloadCalls()).hasSize(items.size());
    }

    @Test
    void reportsTheChecksumItComputedWhileStreaming() throws Exception {
        backend();
        archived("a", 200_000);
        archived("b", 200_000);
        StagingItem md5 = item("a", "md5");
        StagingItem none = item("b", null);

        RecordingListener listener = stage(md5, none);

        assertThat(((StagingOutcome.Fetched) listener.outcome(md5.fileId())).observedChecksum())
                .contains(checksumOf("md5", contents.get("a")));
        assertThat(((StagingOutcome.Fetched) listener.outcome(none.fileId())).observedChecksum()).isEmpty();
    }

    @Test
    void splitsABatchLargerThanMaxIdsPerRestoreIntoRequestsOfAtMostThatMany() throws Exception {
        backend(factory -> factory.setMaxIdsPerRestore(3));
        List<StagingItem> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            archived("f" + i, 1000);
            items.add(item("f" + i));
        }

        RecordingListener listener = stage(items.toArray(StagingItem[]::new));

        assertThat(archive.restoreCalls()).extracting(call -> call.ids().size()).containsExactly(3, 3, 1);
        for (StagingItem item : items) {
            assertFetchedIntact(listener, item);
        }
    }

    @Test
    void overwritesWhateverAnEarlierAttemptLeftInTheTemporaryFile() throws Exception {
        backend();
        archived("a", 10_000);
        StagingItem item = item("a");
        java.nio.file.Files.write(item.temporaryFile(), new byte[50_000]);

        RecordingListener listener = stage(item);

        assertFetchedIntact(listener, item);
    }

    @Test
    void answersHealthyWhenTheUpstreamAnswersAndUnhealthyWhenItIsGone() throws Exception {
        backend();
        assertThat(backend.checkHealth().healthy()).isTrue();

        archive.close();

        assertThat(backend.checkHealth().healthy()).isFalse();
        assertThat(backend.checkHealth().message()).contains("cannot reach upstream");
    }

    @Test
    void stagesTwoBatchesConcurrentlyWithOneRestoreRequestEach() throws Exception {
        archive.restoreLatency(Duration.ofMillis(100));
        backend(factory -> factory.setConcurrentDownloads(2));
        List<StagingItem> first = new ArrayList<>();
        List<StagingItem> second = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            archived("x" + i, 300_000);
            archived("y" + i, 300_000);
            first.add(item("x" + i));
            second.add(item("y" + i, "sha256"));
        }
        RecordingListener listenerA = RecordingListener.withoutContents();
        RecordingListener listenerB = RecordingListener.withoutContents();
        Thread other = new Thread(() -> {
            try {
                backend.stage(new org.stagehand.backend.StagingBatch("b", second), listenerB);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        other.start();
        backend.stage(new org.stagehand.backend.StagingBatch("a", first), listenerA);
        other.join(20_000);

        first.forEach(item -> assertIntactQuietly(listenerA, item));
        second.forEach(item -> assertIntactQuietly(listenerB, item));
        assertThat(archive.restoreCalls()).hasSize(2);
    }

    private void assertIntactQuietly(RecordingListener listener, StagingItem item) {
        try {
            assertFetchedIntact(listener, item);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void checksumHelperAgreesWithTheSpi() {
        // Guards the test fixture itself: a wrong helper would make every byte check meaningless.
        assertThat(checksumOf("md5", "The quick brown fox jumps over the lazy dog".getBytes()))
                .isEqualTo(Checksum.parse("9e107d9d372bb6826bd81d3542a419d6"));
    }
}
