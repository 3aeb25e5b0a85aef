package org.stagehand.backend.hpss;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.EstimatesReadiness;
import org.stagehand.backend.LocatesOnTape;
import org.stagehand.backend.MountListener;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.TapeTimeline;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * Recalls files from HPSS with {@code hsi}, in tape order. Every {@code stage()} call hands its
 * items to one shared {@link RecallPlanner} and waits until each of them has an outcome, so
 * batches staged at the same time share tape mounts. Describes locations with {@code hsi ls -P}
 * ({@link PathDescriber}), so files outside the catalog can be staged by path, and tells the service
 * where queued files lie (the same listing), so that it plans its queue by volume.
 */
final class HpssBackend implements ArchiveBackend, DescribesPaths, EstimatesReadiness, LocatesOnTape {

    private static final Logger LOG = LoggerFactory.getLogger(HpssBackend.class);

    private final HpssSettings settings;
    private final Hsi hsi;
    private final RecallPlanner planner;
    private final PathDescriber describer;

    HpssBackend(HpssSettings settings, Hsi hsi, MetricRegistry metrics, String serviceName, MountListener mounts,
            StagingRootGuard stagingArea) {
        this.settings = settings;
        this.hsi = hsi;
        this.planner = new RecallPlanner(settings, hsi, metrics, serviceName, mounts, stagingArea);
        this.describer = new PathDescriber(settings, planner);
    }

    @Override
    public Optional<ArchivedFile> describe(String archiveLocation) throws IOException {
        Map<String, Optional<ArchivedFile>> answer = describer.describeAll(List.of(archiveLocation));
        if (!answer.containsKey(archiveLocation)) {
            throw new IOException("hsi ls -P did not say what is at " + archiveLocation);
        }
        return answer.get(archiveLocation);
    }

    @Override
    public Map<String, Optional<ArchivedFile>> describeAll(Collection<String> archiveLocations) throws IOException {
        return describer.describeAll(archiveLocations);
    }

    /** Volume, position and offset from {@code hsi ls -P}; a file on HPSS's disk cache is on no volume. */
    @Override
    public Map<String, TapePlace> locate(Collection<String> archiveLocations) throws IOException {
        Map<String, TapePlace> places = new LinkedHashMap<>();
        describer.listAll(archiveLocations).forEach((location, listed) -> listed.ifPresent(file -> places.put(location,
                file.volume().map(volume -> TapePlace.onTape(volume, file.position(), file.offset()))
                        .orElseGet(TapePlace::onDisk))));
        return places;
    }

    @Override
    public int maxSessions() {
        return settings.maxSessions();
    }

    /**
     * Hands the batch's items to the planner and waits for their outcomes. Takes more items while
     * it waits ({@link StagingBatch#acceptMoreItems}): they are planned at once, without waiting
     * for the batch window, so that files of a mounted volume can join its session.
     */
    @Override
    public void stage(StagingBatch batch, OutcomeListener listener) throws InterruptedException {
        List<StagingItem> first = batch.items(); // before more can come: those come through the waiter
        BatchWaiter waiter = new BatchWaiter(first.size());
        Map<String, WaitingItem> requestsByFileId = new ConcurrentHashMap<>();
        List<WaitingItem> planned = new ArrayList<>();
        // Register before looking at cancellation flags, so no cancellation falls between the two.
        batch.onCancel(item -> {
            WaitingItem request = requestsByFileId.get(item.fileId());
            if (request != null) {
                waiter.cancelled(request);
            }
        });
        batch.acceptMoreItems(waiter::added);
        planned.addAll(plan(first, batch, listener, waiter, requestsByFileId, false));
        try {
            while (true) {
                BatchWaiter.News news = waiter.awaitNews();
                if (news.isEmpty()) {
                    batch.refuseMoreItems();
                    if (waiter.isFinished()) { // nothing was added before the refusal
                        return;
                    }
                    continue;
                }
                news.cancelled().forEach(planner::cancel);
                planned.addAll(plan(news.added(), batch, listener, waiter, requestsByFileId, true));
            }
        } catch (InterruptedException e) {
            batch.refuseMoreItems();
            planner.abandon(planned);
            LOG.info("staging of {} interrupted; unfinished items are left to the service", batch);
            throw e;
        }
    }

    /** Plans items of the batch; those it refuses or that are cancelled get their outcome now. */
    private List<WaitingItem> plan(List<StagingItem> items, StagingBatch batch, OutcomeListener listener, BatchWaiter waiter,
            Map<String, WaitingItem> requestsByFileId, boolean atOnce) {
        List<WaitingItem> toPlan = new ArrayList<>();
        Map<WaitingItem, String> rejections = new LinkedHashMap<>();
        for (StagingItem item : items) {
            String remotePath;
            try {
                remotePath = HpssPaths.remotePath(settings.archiveRoot(), item.archiveLocation());
                HpssPaths.requireUsableByHsi(item.temporaryFile().toString(), "staging path");
                int getBytes = VolumeRecall.getLine(item.temporaryFile().toString(), remotePath).length();
                if (getBytes > settings.maxCommandLineBytes()) {
                    throw new IllegalArgumentException("the hsi command recalling " + remotePath + " would be " + getBytes
                            + " bytes long, more than backend.maxCommandLineBytes (" + settings.maxCommandLineBytes()
                            + "); shorten the staging root or the file's paths");
                }
            } catch (IllegalArgumentException e) {
                rejections.put(new WaitingItem(item, batch, listener, waiter, null), e.getMessage());
                continue;
            }
            WaitingItem request = new WaitingItem(item, batch, listener, waiter, remotePath);
            requestsByFileId.put(item.fileId(), request);
            if (batch.isCancelled(item)) {
                request.report(StagingOutcome.cancelled());
            } else {
                toPlan.add(request);
            }
        }
        rejections.forEach((request, message) -> request.report(StagingOutcome.failed(message)));
        planner.submit(toPlan, atOnce);
        return toPlan;
    }

    /** From the recall plan and the rates measured on this site's HPSS ({@link RecallRates}, {@link TapeTimeline}). */
    @Override
    public Map<String, Instant> estimatedReadyAt(Collection<String> archiveLocations) {
        Map<String, String> locationByPath = new HashMap<>();
        for (String location : archiveLocations) {
            try {
                locationByPath.put(HpssPaths.remotePath(settings.archiveRoot(), location), location);
            } catch (IllegalArgumentException e) {
                // a location this backend refuses to stage has no estimate
            }
        }
        Map<String, Instant> byLocation = new HashMap<>();
        planner.estimate().readyAt(locationByPath.keySet()).forEach((path, at) -> byLocation.put(locationByPath.get(path), at));
        return byLocation;
    }

    @Override
    public Optional<TapeTimeline.DriveRates> measuredRates() {
        return planner.estimate().rates().current();
    }

    @Override
    public BackendHealth checkHealth() {
        if (!Files.isExecutable(hsi.executable())) {
            return BackendHealth.unhealthy("hsi at " + hsi.executable() + " is missing or not executable; check backend.hsiPath");
        }
        return planner.persistentProblem()
                .map(problem -> BackendHealth.unhealthy("the last hsi calls failed; latest: " + problem
                        + " (check HPSS availability and the credentials in backend.hsiArguments)"))
                .orElseGet(() -> BackendHealth.healthy("hsi at " + hsi.executable() + " is executable; recent hsi calls worked"));
    }

    @Override
    public void close() throws InterruptedException {
        planner.close();
    }
}
