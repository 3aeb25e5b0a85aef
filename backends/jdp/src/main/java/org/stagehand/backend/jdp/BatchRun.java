package org.stagehand.backend.jdp;

import com.codahale.metrics.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.jdp.FileDownloader.Result;
import org.stagehand.backend.support.OneOutcomePerItem;
import org.stagehand.backend.support.Wakeup;

/**
 * One call of {@link JdpBackend#stage}: restore, poll, download, for one batch.
 *
 * <ol>
 *   <li>Ask the upstream to restore every file of the batch ({@link RestoreSender}); files it does
 *       not know fail alone, 5xx, 429 and network errors hand the items back for a later retry.</li>
 *   <li>Poll each request every {@code pollInterval}: {@code new}/{@code pending} wait, but the
 *       files the answer lists as restored are downloaded at once; {@code ready} downloads the
 *       rest; {@code expired} restores them again; {@code failed} (and the like) fails them; a word
 *       the backend does not know fails them once it has lasted {@code unknownStatusGrace}.</li>
 *   <li>A download answering 409 (still on tape) restores only that file again, after a poll
 *       interval; one the upstream refuses otherwise is restored again at most
 *       {@value #MAX_RESTORES_PER_FILE} times, then fails.</li>
 *   <li>Each file waits on its own: one not restored within {@code maxRestoreWait} of its first
 *       restore request fails with the upstream's last word, and no other file with it. When the
 *       status lists no file states, such a file is tried once before it fails.</li>
 * </ol>
 *
 * <p>Every item gets exactly one outcome, except when the thread is interrupted: then the items
 * not yet finished are left for the service to retry.
 */
final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
    static final int MAX_RESTORES_PER_FILE = 3;

    private final StagingBatch batch;
    private final OneOutcomePerItem listener;
    /** Signalled when the service cancels an item, so that a wait for the next poll ends. */
    private final Wakeup cancellations = new Wakeup();
    private final JdpClient client;
    private final BatchDownloads downloads;
    private final JdpSettings settings;
    private final RestoreSender sender;

    private final Map<String, List<StagingItem>> itemsByFileId = new LinkedHashMap<>();
    private final FileWaits waits;
    private final List<Ticket> waiting = new ArrayList<>();
    private final Set<String> toRestore = new LinkedHashSet<>();

    BatchRun(StagingBatch batch, OutcomeListener listener, JdpClient client, FileDownloader downloader,
             ExecutorService downloads, JdpSettings settings, Meter restoreRequests) {
        this.batch = batch;
        this.listener = new OneOutcomePerItem(listener);
        this.client = client;
        this.downloads = new BatchDownloads(batch, downloader, downloads, this::report);
        this.settings = settings;
        this.sender = new RestoreSender(client, settings, restoreRequests, batch.id());
        this.waits = new FileWaits(settings.maxRestoreWait());
        for (StagingItem item : batch.items()) {
            itemsByFileId.computeIfAbsent(item.archiveLocation(), id -> new ArrayList<>()).add(item);
        }
    }

    void run() throws InterruptedException {
        // Cuts a running download at once; the downloader then reports the item cancelled.
        batch.onCancel(downloads::abort);
        batch.onCancel(item -> cancellations.signal());
        toRestore.addAll(itemsByFileId.keySet());
        while (true) {
            reportCancelled();
            toRestore.addAll(waits.takeDue(System.nanoTime()));
            if (!toRestore.isEmpty()) {
                sendRestores();
            }
            waiting.removeIf(ticket -> {
                ticket.fileIds.removeIf(fileId -> !isOpen(fileId));
                return ticket.fileIds.isEmpty();
            });
            waits.dropUnless(this::isOpen);
            if (waiting.isEmpty() && !waits.anyRestoreLater()) {
                break;
            }
            boolean progressed = pollAndDownload();
            progressed |= failOverdue();
            if (!progressed && toRestore.isEmpty()) {
                sleepUntilNextPoll();
            }
        }
    }

    private void sendRestores() {
        List<String> ids = toRestore.stream().filter(this::isOpen).toList();
        toRestore.clear();
        waits.restoring(ids, System.nanoTime());
        sender.send(ids, new RestoreSender.Sink() {
            @Override
            public void accepted(Optional<String> requestId, List<String> fileIds) {
                waits.accepted(fileIds);
                waiting.add(new Ticket(requestId, fileIds));
            }

            @Override
            public void refused(String fileId, StagingOutcome outcome) {
                openItems(fileId).forEach(item -> report(item, outcome));
            }
        });
    }

    /** Polls every waiting request once; downloads what is restored. Returns whether anything moved on. */
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
                    } else if (e.kind() == UpstreamException.Kind.REDIRECT) {
                        finish(ticket, e.getMessage());
                        progressed = true;
                        continue;
                    } else {
                        LOG.warn("batch {}: {}; polling again", batch.id(), e.getMessage());
                        ticket.lastWord = e.getMessage();
                        continue;
                    }
                }
            }
            ticket.lastStatus = status;
            ticket.lastWord = ticket.name() + " is " + status.describe();
            LOG.debug("batch {}: {}", batch.id(), ticket.lastWord);
            progressed |= switch (status.state()) {
                case READY -> {
                    waiting.remove(ticket);
                    download(List.copyOf(ticket.fileIds));
                    yield true;
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
                    yield true;
                }
                case FAILED -> {
                    finish(ticket, ticket.lastWord);
                    yield true;
                }
                case OTHER -> unknownWord(ticket) || downloadRestored(ticket);
                case NEW, PENDING -> {
                    ticket.unknownSince = -1;
                    yield downloadRestored(ticket);
                }
            };
        }
        return progressed;
    }

    /** Fails the ticket's files once its unknown status word has lasted {@code unknownStatusGrace}. */
    private boolean unknownWord(Ticket ticket) {
        long now = System.nanoTime();
        if (ticket.unknownSince < 0) {
            ticket.unknownSince = now;
        }
        if (now - ticket.unknownSince < settings.unknownStatusGrace().toNanos()) {
            return false;
        }
        finish(ticket, ticket.lastWord + ", a status the backend does not know (it waited unknownStatusGrace, "
                + settings.unknownStatusGrace() + ", for new, pending or ready)");
        return true;
    }

    /** Downloads the files of a request still in progress that its answer lists as restored. */
    private boolean downloadRestored(Ticket ticket) throws InterruptedException {
        List<String> restored = ticket.fileIds.stream().filter(ticket.lastStatus::restored).toList();
        if (restored.isEmpty()) {
            return false;
        }
        LOG.info("batch {}: {}; downloading the {} of its files already restored", batch.id(), ticket.lastWord,
                restored.size());
        restored.forEach(ticket.fileIds::remove);
        download(restored);
        return true;
    }

    /** Fails the files still waiting on the ticket. */
    private void finish(Ticket ticket, String message) {
        LOG.warn("batch {}: {}", batch.id(), message);
        waiting.remove(ticket);
        StagingOutcome outcome = StagingOutcome.failed(message);
        ticket.fileIds.forEach(fileId -> openItems(fileId).forEach(item -> report(item, outcome)));
    }

    /**
     * Fails each file whose own {@code maxRestoreWait} has run out. A file its request's answer did
     * not describe may be restored all the same: it is tried once, and fails only if still on tape.
     */
    private boolean failOverdue() throws InterruptedException {
        long now = System.nanoTime();
        boolean progressed = false;
        List<String> undescribed = new ArrayList<>();
        for (Ticket ticket : List.copyOf(waiting)) {
            for (String fileId : List.copyOf(ticket.fileIds)) {
                if (!overdue(fileId, now)) {
                    continue;
                }
                ticket.fileIds.remove(fileId);
                String state = ticket.lastStatus.fileStates().get(fileId);
                if (state == null) {
                    undescribed.add(fileId);
                } else {
                    failUnrestored(fileId, ticket.lastWord + " (file_status " + state + ")");
                }
                progressed = true;
            }
        }
        Map<String, String> onTape = waits.takeOverdue(now);
        onTape.forEach(this::failUnrestored);
        progressed |= !onTape.isEmpty();
        if (!undescribed.isEmpty()) {
            download(undescribed);
        }
        return progressed;
    }

    private boolean overdue(String fileId, long now) {
        return waits.overdue(fileId, now);
    }

    private void failUnrestored(String fileId, String lastWord) {
        String message = "not restored within maxRestoreWait (" + settings.maxRestoreWait() + "): " + lastWord;
        LOG.warn("batch {}: {}: {}", batch.id(), fileId, message);
        openItems(fileId).forEach(item -> report(item, StagingOutcome.failed(message)));
    }

    /** Downloads the open items of {@code fileIds} and waits for them; restores again what the upstream refused. */
    private void download(List<String> fileIds) throws InterruptedException {
        List<StagingItem> items = fileIds.stream().flatMap(fileId -> openItems(fileId).stream()).toList();
        for (Map.Entry<StagingItem, Result> refused : downloads.download(items).entrySet()) {
            String fileId = refused.getKey().archiveLocation();
            if (refused.getValue() instanceof Result.NeedsRestore again) {
                restoreAgain(refused.getKey(), again.message());
            } else if (refused.getValue() instanceof Result.StillOnTape onTape) {
                waitForTape(fileId, onTape.message());
            }
        }
    }

    private void restoreAgain(StagingItem item, String refusal) {
        if (overdue(item.archiveLocation(), System.nanoTime())) {
            failUnrestored(item.archiveLocation(), refusal);
        } else if (!restoresUsedUp(item, refusal)) {
            LOG.info("batch {}: {}; restoring {} again", batch.id(), refusal, item.archiveLocation());
            toRestore.add(item.archiveLocation());
        }
    }

    /**
     * A file the upstream called restored is still on tape (409): restore it alone again after a
     * poll interval, until its own {@code maxRestoreWait} runs out; this costs none of its
     * {@value #MAX_RESTORES_PER_FILE} restores, which count refusals.
     */
    private void waitForTape(String fileId, String message) {
        long now = System.nanoTime();
        if (overdue(fileId, now)) {
            failUnrestored(fileId, message);
            return;
        }
        LOG.info("batch {}: {}; restoring {} again after {}", batch.id(), message, fileId, settings.pollInterval());
        waits.restoreLater(fileId, message, now + settings.pollInterval().toNanos());
    }

    /** Fails the item when its file has had its last restore request; returns whether it did. */
    private boolean restoresUsedUp(StagingItem item, String refusal) {
        String fileId = item.archiveLocation();
        int restores = waits.restores(fileId);
        if (restores < MAX_RESTORES_PER_FILE) {
            return false;
        }
        report(item, StagingOutcome.failed("the upstream still refuses " + fileId + " after " + restores
                + " restore requests: " + refusal));
        return true;
    }

    /** Sleeps until the next poll, a file's deadline or a delayed restore, whichever comes first. */
    private void sleepUntilNextPoll() throws InterruptedException {
        long end = waits.wakeUp(System.nanoTime() + settings.pollInterval().toNanos(),
                waiting.stream().flatMap(ticket -> ticket.fileIds.stream()).toList());
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            cancellations.await(Duration.ofNanos(left));
            if (reportCancelled() && itemsByFileId.keySet().stream().noneMatch(this::isOpen)) {
                return;
            }
        }
    }

    /** Reports every cancelled open item; returns whether there were any. */
    private boolean reportCancelled() {
        boolean any = false;
        for (StagingItem item : batch.items()) {
            if (!listener.isReported(item) && batch.isCancelled(item) && !downloads.isRunning(item)) {
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
        return itemsByFileId.getOrDefault(fileId, List.of()).stream().filter(item -> !listener.isReported(item)).toList();
    }

    private void report(StagingItem item, StagingOutcome outcome) {
        listener.report(item, outcome);
    }
}
