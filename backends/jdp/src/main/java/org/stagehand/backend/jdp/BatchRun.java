package org.stagehand.backend.jdp;

import com.codahale.metrics.Meter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.FileDownloader.Result;
import org.stagehand.backend.jdp.JdpClient.DownloadResponse;

/**
 * One call of {@link JdpBackend#stage}: restore, poll, download, for one batch.
 *
 * <ol>
 *   <li>Ask the upstream to restore every file of the batch, {@code maxIdsPerRestore} IDs per
 *       request. A 404, 413 or other 4xx for several IDs is bisected to find the file at fault, which
 *       fails alone; 5xx, 429 and network errors hand the items back for a later retry.</li>
 *   <li>Poll each request every {@code pollInterval}: {@code new}/{@code pending} wait,
 *       {@code ready} downloads its files, {@code expired} restores them again.</li>
 *   <li>An {@code expired} request, or a download the upstream refuses as not restored, restores
 *       that file again (at most {@value #MAX_RESTORES_PER_FILE} restore requests per file, then it
 *       fails); a file not restored within {@code maxRestoreWait}
 *       fails with the upstream's last word.</li>
 * </ol>
 *
 * <p>Every item gets exactly one outcome, except when the thread is interrupted: then the items
 * not yet finished are left for the service to retry.
 */
final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
    static final int MAX_RESTORES_PER_FILE = 3;
    private static final long SLEEP_SLICE_MILLIS = 100;

    /** An upstream restore request and the file IDs it covers. */
    private static final class Ticket {
        final Optional<String> requestId;
        final List<String> fileIds;
        String lastWord = "not polled yet";

        Ticket(Optional<String> requestId, List<String> fileIds) {
            this.requestId = requestId;
            this.fileIds = fileIds;
        }
    }

    private final StagingBatch batch;
    private final OutcomeListener listener;
    private final JdpClient client;
    private final FileDownloader downloader;
    private final ExecutorService downloads;
    private final JdpSettings settings;
    private final Meter restoreRequests;

    private final Map<String, List<StagingItem>> itemsByFileId = new LinkedHashMap<>();
    private final Set<StagingItem> reported = ConcurrentHashMap.newKeySet();
    private final Map<StagingItem, DownloadResponse> activeDownloads = new ConcurrentHashMap<>();
    private final Map<String, Integer> restoresByFileId = new LinkedHashMap<>();
    private final List<Ticket> waiting = new ArrayList<>();
    private final Set<String> toRestore = new LinkedHashSet<>();
    private final long deadlineNanos;

    BatchRun(StagingBatch batch, OutcomeListener listener, JdpClient client, FileDownloader downloader,
             ExecutorService downloads, JdpSettings settings, Meter restoreRequests) {
        this.batch = batch;
        this.listener = listener;
        this.client = client;
        this.downloader = downloader;
        this.downloads = downloads;
        this.settings = settings;
        this.restoreRequests = restoreRequests;
        this.deadlineNanos = System.nanoTime() + settings.maxRestoreWait().toNanos();
        for (StagingItem item : batch.items()) {
            itemsByFileId.computeIfAbsent(item.archiveLocation(), id -> new ArrayList<>()).add(item);
        }
    }

    void run() throws InterruptedException {
        // Cuts a running download at once; the downloader then reports the item cancelled.
        batch.onCancel(item -> {
            DownloadResponse response = activeDownloads.get(item);
            if (response != null) {
                response.abort();
            }
        });
        toRestore.addAll(itemsByFileId.keySet());
        while (true) {
            reportCancelled();
            if (!toRestore.isEmpty()) {
                List<String> ids = toRestore.stream().filter(this::isOpen).toList();
                toRestore.clear();
                for (int from = 0; from < ids.size(); from += settings.maxIdsPerRestore()) {
                    requestRestore(ids.subList(from, Math.min(ids.size(), from + settings.maxIdsPerRestore())));
                }
            }
            waiting.removeIf(ticket -> ticket.fileIds.stream().noneMatch(this::isOpen));
            if (waiting.isEmpty()) {
                break;
            }
            if (!pollAndDownload() && toRestore.isEmpty()) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    failUnrestored();
                    break;
                }
                sleepUntilNextPoll();
            }
        }
    }

    /** Polls every waiting request once; downloads the ready ones. Returns whether any moved on. */
    private boolean pollAndDownload() throws InterruptedException {
        boolean progressed = false;
        for (Ticket ticket : List.copyOf(waiting)) {
            RestoreStatus status;
            if (ticket.requestId.isEmpty()) {
                status = new RestoreStatus(RestoreStatus.State.READY, "ready", "accepted without a request ID");
            } else {
                try {
                    status = client.status(ticket.requestId.get());
                } catch (UpstreamException e) {
                    if (e.kind() == UpstreamException.Kind.NOT_FOUND) {
                        // The upstream forgot the request (purged): ask again.
                        status = new RestoreStatus(RestoreStatus.State.EXPIRED, "unknown", e.getMessage());
                    } else {
                        LOG.warn("batch {}: {}; polling again", batch.id(), e.getMessage());
                        ticket.lastWord = e.getMessage();
                        continue;
                    }
                }
            }
            ticket.lastWord = "upstream restore request " + ticket.requestId.orElse("(none)") + " is "
                    + status.describe();
            LOG.debug("batch {}: {}", batch.id(), ticket.lastWord);
            switch (status.state()) {
                case READY -> {
                    waiting.remove(ticket);
                    download(ticket.fileIds);
                    progressed = true;
                }
                case EXPIRED -> {
                    waiting.remove(ticket);
                    LOG.info("batch {}: {}; restoring again", batch.id(), ticket.lastWord);
                    // Counted like a refused download: an upstream that expires every copy (or keeps
                    // forgetting the request) must not be asked again and again without end.
                    for (String fileId : ticket.fileIds) {
                        for (StagingItem item : openItems(fileId)) {
                            if (!restoresUsedUp(item, ticket.lastWord)) {
                                toRestore.add(fileId);
                            }
                        }
                    }
                    progressed = true;
                }
                default -> {
                    // new, pending or a state we do not know: keep waiting until maxRestoreWait
                }
            }
        }
        return progressed;
    }

    /** Sends one restore request; bisects on a per-file error so that only the file at fault fails. */
    private void requestRestore(List<String> fileIds) {
        for (String fileId : fileIds) {
            restoresByFileId.merge(fileId, 1, Integer::sum);
        }
        try {
            restoreRequests.mark();
            Optional<String> requestId = client.restore(fileIds);
            LOG.info("batch {}: upstream restore request {} for {} files", batch.id(),
                    requestId.orElse("(no ID: files already online)"), fileIds.size());
            waiting.add(new Ticket(requestId, List.copyOf(fileIds)));
        } catch (UpstreamException e) {
            boolean fileSpecific = e.kind() == UpstreamException.Kind.NOT_FOUND
                    || e.kind() == UpstreamException.Kind.TOO_LARGE
                    || (e.kind() == UpstreamException.Kind.REFUSED && e.httpStatus() != 403);
            if (fileSpecific && fileIds.size() > 1) {
                LOG.info("batch {}: {}; splitting the request to find the file at fault", batch.id(), e.getMessage());
                int half = fileIds.size() / 2;
                requestRestore(fileIds.subList(0, half));
                requestRestore(fileIds.subList(half, fileIds.size()));
                return;
            }
            StagingOutcome outcome = switch (e.kind()) {
                case NOT_FOUND -> StagingOutcome.failed("the upstream does not know file " + fileIds.get(0) + ": "
                        + e.getMessage());
                case REFUSED -> e.httpStatus() == 403
                        ? StagingOutcome.retry(e.getMessage() + "; check the credential in environment variable "
                                + settings.authTokenVariable())
                        : StagingOutcome.failed("the upstream refuses to restore " + fileIds.get(0) + ": " + e.getMessage());
                case TOO_LARGE -> StagingOutcome.failed("the upstream refuses to restore " + fileIds.get(0) + ": "
                        + e.getMessage());
                case AUTH -> StagingOutcome.retry(e.getMessage() + "; check the credential in environment variable "
                        + settings.authTokenVariable());
                case TRANSIENT -> e.retryAfter().map(wait -> StagingOutcome.retry(e.getMessage(), wait))
                        .orElseGet(() -> StagingOutcome.retry(e.getMessage()));
            };
            LOG.warn("batch {}: {}", batch.id(), e.getMessage());
            for (String fileId : fileIds) {
                openItems(fileId).forEach(item -> report(item, outcome));
            }
        }
    }

    /** Downloads the open items of {@code fileIds} on the shared pool and waits for them all. */
    private void download(List<String> fileIds) throws InterruptedException {
        Map<StagingItem, Future<Result>> running = new LinkedHashMap<>();
        for (String fileId : fileIds) {
            for (StagingItem item : openItems(fileId)) {
                running.put(item, downloads.submit(() -> downloadOne(item)));
            }
        }
        try {
            for (Map.Entry<StagingItem, Future<Result>> entry : running.entrySet()) {
                StagingItem item = entry.getKey();
                Result result;
                try {
                    result = entry.getValue().get();
                } catch (ExecutionException e) {
                    LOG.error("batch {}: download of {} failed unexpectedly", batch.id(), item.archiveLocation(),
                            e.getCause());
                    report(item, StagingOutcome.retry("unexpected error downloading " + item.archiveLocation() + ": "
                            + e.getCause()));
                    continue;
                }
                if (result instanceof Result.NeedsRestore refused) {
                    restoreAgain(item, refused.message());
                } else if (result instanceof Result.Interrupted) {
                    throw new InterruptedException("download of " + item.archiveLocation() + " interrupted");
                }
            }
        } catch (InterruptedException e) {
            running.values().forEach(future -> future.cancel(true));
            activeDownloads.values().forEach(DownloadResponse::abort);
            throw e;
        }
    }

    private Result downloadOne(StagingItem item) {
        if (batch.isCancelled(item)) {
            report(item, StagingOutcome.cancelled());
            return new Result.Done(StagingOutcome.cancelled());
        }
        Result result = downloader.download(item, new FileDownloader.Watch() {
            @Override
            public boolean cancelled() {
                return batch.isCancelled(item);
            }

            @Override
            public void started(DownloadResponse response) {
                activeDownloads.put(item, response);
                if (batch.isCancelled(item)) {
                    response.abort(); // cancelled between the check and the registration
                }
            }

            @Override
            public void finished() {
                activeDownloads.remove(item);
            }
        });
        if (result instanceof Result.Done done) {
            report(item, done.outcome());
        }
        return result;
    }

    private void restoreAgain(StagingItem item, String refusal) {
        if (!restoresUsedUp(item, refusal)) {
            LOG.info("batch {}: {}; restoring {} again", batch.id(), refusal, item.archiveLocation());
            toRestore.add(item.archiveLocation());
        }
    }

    /** Fails the item when its file has had its last restore request; returns whether it did. */
    private boolean restoresUsedUp(StagingItem item, String refusal) {
        String fileId = item.archiveLocation();
        int restores = restoresByFileId.getOrDefault(fileId, 0);
        if (restores < MAX_RESTORES_PER_FILE) {
            return false;
        }
        report(item, StagingOutcome.failed("the upstream still refuses " + fileId + " after " + restores
                + " restore requests: " + refusal));
        return true;
    }

    private void failUnrestored() {
        for (Ticket ticket : waiting) {
            String message = "not restored within maxRestoreWait (" + settings.maxRestoreWait() + "): "
                    + ticket.lastWord;
            LOG.warn("batch {}: {}", batch.id(), message);
            ticket.fileIds.forEach(fileId -> openItems(fileId).forEach(item -> report(item, StagingOutcome.failed(message))));
        }
        waiting.clear();
    }

    private void sleepUntilNextPoll() throws InterruptedException {
        long pollEnd = System.nanoTime() + settings.pollInterval().toNanos();
        long end = pollEnd - deadlineNanos < 0 ? pollEnd : deadlineNanos;
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(SLEEP_SLICE_MILLIS, Math.max(1, left / 1_000_000)));
            if (reportCancelled() && itemsByFileId.keySet().stream().noneMatch(this::isOpen)) {
                return;
            }
        }
    }

    /** Reports every cancelled open item; returns whether there were any. */
    private boolean reportCancelled() {
        boolean any = false;
        for (StagingItem item : batch.items()) {
            if (!reported.contains(item) && batch.isCancelled(item) && !activeDownloads.containsKey(item)) {
                report(item, StagingOutcome.cancelled());
                any = true;
            }
        }
        return any;
    }

    private boolean isOpen(String fileId) {
        return !openItems(fileId).isEmpty();
    }

    private List<StagingItem> openItems(String fileId) {
        return itemsByFileId.getOrDefault(fileId, List.of()).stream().filter(item -> !reported.contains(item)).toList();
    }

    private void report(StagingItem item, StagingOutcome outcome) {
        if (reported.add(item)) {
            listener.report(item, outcome);
        }
    }
}
