package org.stagehand.backend.jdp;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.util.Duration;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.FakeJdpArchive.DownloadFault;
import org.stagehand.backend.support.testing.RecordingListener;

/**
 * Every injected fault ends either fetched with the right bytes, or failed/retry with a message
 * that says what happened; never fetched with wrong bytes.
 */
class JdpBackendFaultTest extends ArchiveTestSupport {

    @Test
    void retriesDownloadsThatAnswer503AndFetchesTheRightBytes() throws Exception {
        backend();
        archived("a", 500_000);
        archive.injectDownloadFault("a", new DownloadFault.Status(503, null));
        archive.injectDownloadFault("a", new DownloadFault.Status(503, null));

        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.downloadCalls()).hasSize(3);
    }

    @Test
    void resumesADroppedDownloadWithARangeRequest() throws Exception {
        backend();
        byte[] content = archived("a", 2_000_000);
        archive.injectDownloadFault("a", new DownloadFault.DropAfter(800_000));

        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        List<FakeJdpArchive.DownloadCall> calls = archive.downloadCalls();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).range()).isNull();
        // The resume starts where the received bytes end (the drop may lose bytes in flight, never add any).
        long resumedAt = Long.parseLong(calls.get(1).range().replaceAll("bytes=(\\d+)-", "$1"));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(800_000);
        assertThat(archive.bytesServed()).isLessThan(content.length + 800_000L + 1);
    }

    @Test
    void restartsFromTheFirstByteWhenTheServerIgnoresRange() throws Exception {
        archive.rangeSupport(false);
        backend();
        archived("a", 2_000_000);
        archive.injectDownloadFault("a", new DownloadFault.DropAfter(700_000));

        RecordingListener listener = stage(item("a", "sha256"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.downloadCalls()).hasSize(2);
    }

    @Test
    void downloadsAgainWhenTheBodyDoesNotMatchItsChecksum() throws Exception {
        backend();
        archived("a", 300_000);
        archive.injectDownloadFault("a", new DownloadFault.Corrupt());

        RecordingListener listener = stage(item("a", "sha256"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.downloadCalls()).hasSize(2);
    }

    @Test
    void reportsRetryNotFetchedWhenEveryBodyIsCorrupt() throws Exception {
        backend(factory -> factory.setMaxDownloadAttempts(3));
        archived("a", 300_000);
        for (int i = 0; i < 3; i++) {
            archive.injectDownloadFault("a", new DownloadFault.Corrupt());
        }

        RecordingListener listener = stage(item("a"));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("checksum mismatch", "md5:");
    }

    @Test
    void reportsRetryWhenEveryConnectionDropsMidBody() throws Exception {
        archive.rangeSupport(false);
        backend(factory -> factory.setMaxDownloadAttempts(3));
        archived("a", 1_000_000);
        for (int i = 0; i < 3; i++) {
            archive.injectDownloadFault("a", new DownloadFault.DropAfter(100_000));
        }

        RecordingListener listener = stage(itemWithCatalogSize("a", 1_000_000));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("of 1000000 bytes");
    }

    @Test
    void neverReportsFetchedWhenTheCatalogSizeDisagreesWithTheUpstream() throws Exception {
        backend(factory -> factory.setMaxDownloadAttempts(2));
        archived("a", 1000);

        RecordingListener listener = stage(itemWithCatalogSize("a", 999));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("1000 bytes", "the catalog says 999");
    }

    @Test
    void failsOnlyTheFileTheUpstreamDoesNotKnowWhenRestoring() throws Exception {
        backend();
        archived("a", 1000);
        archived("b", 1000);
        archived("d", 1000);
        contents.put("missing", new byte[0]);

        RecordingListener listener = stage(item("a"), item("b"), item("missing"), item("d"));

        assertThat(listener.outcome("file-missing")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(listener.outcome("file-missing"))).contains("missing", "404", "unknown file ids");
        assertFetchedIntact(listener, item("a"));
        assertFetchedIntact(listener, item("b"));
        assertFetchedIntact(listener, item("d"));
    }

    @Test
    void failsAFileWhoseDownloadAnswers404ForGood() throws Exception {
        backend();
        archived("a", 1000);
        archive.injectDownloadFault("a", new DownloadFault.Status(404, null));

        RecordingListener listener = stage(item("a"));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("HTTP 404");
        assertThat(archive.downloadCalls()).hasSize(1);
    }

    @Test
    void restoresAgainWhenTheRestoredCopyExpiresBeforeItIsDownloaded() throws Exception {
        archive.restoreLatency(java.time.Duration.ofMillis(40));
        archive.readyLifetime(java.time.Duration.ofMillis(600));
        backend(factory -> factory.setConcurrentDownloads(1));
        archived("slow", 1000);
        archived("late", 1000);
        // The first download takes longer than the restored copy lives, so the second finds it purged.
        archive.injectDownloadFault("slow", new DownloadFault.SlowStart(java.time.Duration.ofMillis(1500)));

        RecordingListener listener = stage(item("slow"), item("late"));

        assertFetchedIntact(listener, item("slow"));
        assertFetchedIntact(listener, item("late"));
        assertThat(archive.restoreCalls()).extracting(FakeJdpArchive.RestoreCall::ids)
                .containsExactly(List.of("slow", "late"), List.of("late"));
    }

    @Test
    void restoresAgainWhenTheStatusSaysExpired() throws Exception {
        backend();
        archived("a", 1000);
        archive.scriptStatuses("pending", "expired");

        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.restoreCalls()).hasSize(2);
    }

    @Test
    void failsAFileTheUpstreamKeepsRefusingAfterRepeatedRestores() throws Exception {
        backend();
        archived("a", 1000);
        for (int i = 0; i < BatchRun.MAX_RESTORES_PER_FILE; i++) {
            archive.injectDownloadFault("a", new DownloadFault.Status(403, null));
        }

        RecordingListener listener = stage(item("a"));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("still refuses", "HTTP 403", "injected HTTP 403");
        assertThat(archive.restoreCalls()).hasSize(BatchRun.MAX_RESTORES_PER_FILE);
    }

    @Test
    void failsFilesStillNotRestoredAfterMaxRestoreWaitWithTheUpstreamMessage() throws Exception {
        archive.restoreLatency(java.time.Duration.ofHours(1));
        archive.statusMessage("waiting for tape volume AB1234");
        backend(factory -> factory.setMaxRestoreWait(Duration.milliseconds(300)));
        archived("a", 1000);

        long start = System.nanoTime();
        RecordingListener listener = stage(item("a"));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(messageOf(listener.outcome("file-a")))
                .contains("not restored within maxRestoreWait", "'new'", "waiting for tape volume AB1234");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        assertThat(Files.exists(item("a").temporaryFile())).isFalse();
    }

    @Test
    void handsItemsBackWithRetryAfterWhenTheRestoreRequestAnswers429() throws Exception {
        backend();
        archived("a", 1000);
        archived("b", 1000);
        archive.failNextRestore(429, 120);

        RecordingListener listener = stage(item("a"), item("b"));

        for (String fileId : List.of("file-a", "file-b")) {
            assertThat(listener.outcome(fileId)).isInstanceOf(StagingOutcome.Retry.class);
            StagingOutcome.Retry retry = (StagingOutcome.Retry) listener.outcome(fileId);
            assertThat(retry.notBefore()).contains(java.time.Duration.ofSeconds(120));
            assertThat(retry.message()).contains("HTTP 429");
        }
        assertThat(archive.restoreCalls()).hasSize(1);
    }

    @Test
    void handsItemsBackForRetryWhenTheRestoreRequestAnswers503() throws Exception {
        backend();
        archived("a", 1000);
        archive.failNextRestore(503, -1);

        RecordingListener listener = stage(item("a"));

        assertThat(listener.outcome("file-a")).isInstanceOf(StagingOutcome.Retry.class);
        assertThat(messageOf(listener.outcome("file-a"))).contains("HTTP 503", "restore service unavailable");
    }

    @Test
    void waitsOutAShortRetryAfterOnADownloadAndFetches() throws Exception {
        backend();
        archived("a", 1000);
        archive.injectDownloadFault("a", new DownloadFault.Status(429, "1"));

        long start = System.nanoTime();
        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(java.time.Duration.ofSeconds(1));
    }

    @Test
    void handsBackALongRetryAfterOnADownloadInsteadOfHoldingTheWorker() throws Exception {
        backend();
        archived("a", 1000);
        archive.injectDownloadFault("a", new DownloadFault.Status(503, "600"));

        RecordingListener listener = stage(item("a"));

        StagingOutcome.Retry retry = (StagingOutcome.Retry) listener.outcome("file-a");
        assertThat(retry.notBefore()).contains(java.time.Duration.ofSeconds(600));
    }

    @Test
    void retriesAfterAResponseSlowerThanTheReadTimeout() throws Exception {
        backend(factory -> factory.getClient().setTimeout(Duration.milliseconds(300)));
        archived("a", 100_000);
        archive.injectDownloadFault("a", new DownloadFault.SlowStart(java.time.Duration.ofMillis(1500)));

        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.downloadCalls()).hasSize(2);
    }

    @Test
    void fetchesASlowButSteadyDownload() throws Exception {
        backend(factory -> factory.getClient().setTimeout(Duration.seconds(2)));
        archived("a", 200_000);
        archive.injectDownloadFault("a", new DownloadFault.Throttle(400_000));

        RecordingListener listener = stage(item("a"));

        assertFetchedIntact(listener, item("a"));
        assertThat(archive.downloadCalls()).hasSize(1);
    }

    @Test
    void reportsCancelledForAnItemCancelledWhileItsRestoreIsPending() throws Exception {
        archive.restoreLatency(java.time.Duration.ofMillis(600));
        backend();
        archived("a", 1000);
        archived("b", 1000);
        StagingItem keep = item("a");
        StagingItem drop = item("b");
        StagingBatch batch = new StagingBatch("batch", List.of(keep, drop));
        RecordingListener listener = RecordingListener.withoutContents();

        Thread canceller = new Thread(() -> {
            sleep(150);
            batch.cancel(List.of(drop));
        });
        canceller.start();
        backend.stage(batch, listener);
        canceller.join();

        assertThat(listener.outcome(drop.fileId())).isInstanceOf(StagingOutcome.Cancelled.class);
        assertFetchedIntact(listener, keep);
        assertThat(archive.downloadCalls()).extracting(FakeJdpArchive.DownloadCall::fileId).containsExactly("a");
    }

    @Test
    void abortsARunningDownloadPromptlyWhenItsItemIsCancelled() throws Exception {
        backend();
        archived("big", 4 << 20);
        // 16 KiB, then silence for 10 s: the backend is blocked in a read when the cancel comes.
        archive.injectDownloadFault("big", new DownloadFault.Throttle(1_600));
        StagingItem item = item("big");
        StagingBatch batch = new StagingBatch("batch", List.of(item));
        RecordingListener listener = RecordingListener.withoutContents();

        java.util.concurrent.atomic.AtomicLong cancelledAt = new java.util.concurrent.atomic.AtomicLong();
        Thread canceller = new Thread(() -> {
            // Cancel only once the download is under way, blocked in a read.
            long giveUp = System.nanoTime() + 10_000_000_000L;
            while (archive.bytesServed() == 0 && System.nanoTime() < giveUp) {
                sleep(10);
            }
            sleep(200);
            cancelledAt.set(System.nanoTime());
            batch.cancel(List.of(item));
        });
        canceller.start();
        backend.stage(batch, listener);
        long returnedAt = System.nanoTime();
        canceller.join();

        assertThat(listener.outcome(item.fileId())).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(archive.bytesServed()).as("the download had started").isPositive();
        // Without an abort the read would block until the 5 s read timeout.
        assertThat(java.time.Duration.ofNanos(returnedAt - cancelledAt.get())).isLessThan(java.time.Duration.ofSeconds(2));
    }

    @Test
    void returnsPromptlyWithoutOutcomesWhenTheWorkerIsInterrupted() throws Exception {
        archive.restoreLatency(java.time.Duration.ofHours(1));
        backend(factory -> factory.setPollInterval(Duration.seconds(30)));
        archived("a", 1000);
        RecordingListener listener = RecordingListener.withoutContents();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                backend.stage(new StagingBatch("batch", List.of(item("a"))), listener);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        worker.start();
        sleep(300);

        worker.interrupt();
        worker.join(2000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(listener.outcomes()).isEmpty();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
