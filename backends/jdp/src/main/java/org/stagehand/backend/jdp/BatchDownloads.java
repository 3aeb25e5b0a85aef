package org.stagehand.backend.jdp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.FileDownloader.Result;
import org.stagehand.backend.jdp.JdpClient.DownloadResponse;
import org.stagehand.backend.support.Wakeup;

/**
 * One batch's downloads on the pool all batches share: each finished item is reported at once,
 * and a running download can be cut when its item is cancelled.
 */
final class BatchDownloads {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDownloads.class);

    private final StagingBatch batch;
    private final FileDownloader downloader;
    private final ExecutorService pool;
    private final BiConsumer<StagingItem, StagingOutcome> report;
    private final Map<StagingItem, DownloadResponse> running = new ConcurrentHashMap<>();
    /** Signalled at each cancellation, for downloads that wait between attempts. */
    private final Wakeup cancellations = new Wakeup();

    BatchDownloads(StagingBatch batch, FileDownloader downloader, ExecutorService pool,
                   BiConsumer<StagingItem, StagingOutcome> report) {
        this.batch = batch;
        this.downloader = downloader;
        this.pool = pool;
        this.report = report;
    }

    /** Cuts the item's running download, if any (the downloader then reports it cancelled), and wakes pausing downloads. */
    void abort(StagingItem item) {
        cancellations.signal(); // ends a wait between attempts
        DownloadResponse response = running.get(item);
        if (response != null) {
            response.abort();
        }
    }

    boolean isRunning(StagingItem item) {
        return running.containsKey(item);
    }

    /**
     * Downloads {@code items} and waits for them all.
     *
     * @return the items the upstream would not hand out ({@link Result.NeedsRestore},
     *     {@link Result.StillOnTape}); every other item has been reported
     * @throws InterruptedException when the thread is interrupted; running downloads are aborted
     */
    Map<StagingItem, Result> download(List<StagingItem> items) throws InterruptedException {
        Map<StagingItem, Future<Result>> futures = new LinkedHashMap<>();
        for (StagingItem item : items) {
            futures.put(item, pool.submit(() -> downloadOne(item)));
        }
        Map<StagingItem, Result> refused = new LinkedHashMap<>();
        try {
            for (Map.Entry<StagingItem, Future<Result>> entry : futures.entrySet()) {
                StagingItem item = entry.getKey();
                Result result;
                try {
                    result = entry.getValue().get();
                } catch (ExecutionException e) {
                    LOG.error("batch {}: download of {} failed unexpectedly", batch.id(), item.archiveLocation(),
                            e.getCause());
                    report.accept(item, StagingOutcome.retry("unexpected error downloading " + item.archiveLocation()
                            + ": " + e.getCause()));
                    continue;
                }
                if (result instanceof Result.NeedsRestore || result instanceof Result.StillOnTape) {
                    refused.put(item, result);
                } else if (result instanceof Result.Interrupted) {
                    throw new InterruptedException("download of " + item.archiveLocation() + " interrupted");
                }
            }
        } catch (InterruptedException e) {
            futures.values().forEach(future -> future.cancel(true));
            running.values().forEach(DownloadResponse::abort);
            throw e;
        }
        return refused;
    }

    private Result downloadOne(StagingItem item) {
        if (batch.isCancelled(item)) {
            report.accept(item, StagingOutcome.cancelled());
            return new Result.Done(StagingOutcome.cancelled());
        }
        Result result = downloader.download(item, new FileDownloader.Watch() {
            @Override
            public boolean cancelled() {
                return batch.isCancelled(item);
            }

            @Override
            public Wakeup cancellations() {
                return cancellations;
            }

            @Override
            public void started(DownloadResponse response) {
                running.put(item, response);
                if (batch.isCancelled(item)) {
                    response.abort(); // cancelled between the check and the registration
                }
            }

            @Override
            public void finished() {
                running.remove(item);
            }
        });
        if (result instanceof Result.Done done) {
            report.accept(item, done.outcome());
        }
        return result;
    }
}
