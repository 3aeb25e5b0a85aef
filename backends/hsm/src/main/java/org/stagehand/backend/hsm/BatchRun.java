package org.stagehand.backend.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.LocatesOnTape.TapePlace;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.OneOutcomePerItem;
import org.stagehand.backend.support.Wakeup;

/**
 * One call of {@link HsmBackend#stage}: asks the HSM where the batch's files are, copies the online
 * ones, recalls the offline ones with one call per file system, and copies each as soon as the HSM
 * says it is online. Used by one thread; cancellation and recall ends only wake it up.
 */
final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

    private final StagingBatch batch;
    private final OneOutcomePerItem listener;
    private final HsmTools tools;

    /** Items waiting for their file to come online, with its real path. */
    private final Map<StagingItem, Path> waiting = new LinkedHashMap<>();
    private final List<RecallCall> calls = new ArrayList<>();
    private final Set<RecallCall> endedCallsSeen = new HashSet<>();
    private final Wakeup wakeUp = new Wakeup();

    BatchRun(StagingBatch batch, OutcomeListener listener, HsmTools tools) {
        this.batch = batch;
        this.listener = new OneOutcomePerItem(listener);
        this.tools = tools;
    }

    void run() throws InterruptedException {
        batch.onCancel(item -> wakeUp.signal());
        try {
            Map<StagingItem, Path> located = locate();
            if (located.isEmpty()) {
                return;
            }
            StateQuery.Report report = tools.states().query(List.copyOf(located.values()));
            List<StagingItem> online = new ArrayList<>();
            Map<Path, List<StagingItem>> offlineByFileSystem = new LinkedHashMap<>();
            located.forEach((item, file) -> {
                StateReading reading = report.readings().get(file);
                if (reading == null) {
                    reportWithoutReading(item, file, report);
                    return;
                }
                switch (reading.state()) {
                    case ONLINE -> online.add(item);
                    case OFFLINE -> {
                        waiting.put(item, file);
                        offlineByFileSystem.computeIfAbsent(fileSystemOf(file), fs -> new ArrayList<>()).add(item);
                    }
                    case RECALLING -> waiting.put(item, file);
                    case LOST -> report(item, StagingOutcome.failed(lostMessage(item, reading)));
                    case UNRECOGNIZED -> report(item, StagingOutcome.retry("unrecognized HSM state '" + reading.text()
                            + "' of " + item.archiveLocation() + " from " + tools.states().command().programName()));
                    default -> throw new IllegalStateException("unhandled state " + reading.state());
                }
            });
            // Tapes start moving first; online files are copied while they do.
            startRecalls(offlineByFileSystem, report.places());
            for (StagingItem item : online) {
                copyAndReport(item);
            }
            awaitRecalledFiles();
        } finally {
            calls.forEach(call -> call.command().close());
        }
    }

    /** Resolves every item's file below the root; reports those that cannot be staged at all. */
    private Map<StagingItem, Path> locate() throws InterruptedException {
        Map<StagingItem, Path> located = new LinkedHashMap<>();
        for (StagingItem item : batch.items()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("staging of " + batch + " interrupted");
            }
            if (batch.isCancelled(item)) {
                report(item, StagingOutcome.cancelled());
                continue;
            }
            try {
                Path file = tools.copier().resolveInsideRoot(item.archiveLocation());
                if (Files.isRegularFile(file)) {
                    located.put(item, file);
                } else {
                    report(item, StagingOutcome.failed("not a regular file in the archive: " + item.archiveLocation()));
                }
            } catch (NoSuchFileException e) {
                report(item, StagingOutcome.failed("not in the archive: " + item.archiveLocation()));
            } catch (IllegalArgumentException e) {
                report(item, StagingOutcome.failed(e.getMessage()));
            } catch (IOException e) {
                report(item, StagingOutcome.retry("cannot resolve " + item.archiveLocation() + ": " + e));
            }
        }
        return located;
    }

    /** @param places where the state query placed the files, to tell the service which volumes the recalls mount */
    private void startRecalls(Map<Path, List<StagingItem>> offlineByFileSystem, Map<Path, TapePlace> places) {
        // In tape order where the tool placed the files (the service's claim order is not), the unplaced after.
        Comparator<StagingItem> tapeOrder = Comparator.comparing(item -> places.get(waiting.get(item)),
                Comparator.nullsLast(Comparator.comparing((TapePlace place) -> place.volume().orElse(""))
                        .thenComparingLong(TapePlace::position).thenComparingLong(TapePlace::offset)));
        offlineByFileSystem.values().forEach(items -> items.sort(tapeOrder));
        offlineByFileSystem.forEach((fileSystem, items) -> {
            for (int from = 0; from < items.size(); from += tools.recall().maxFilesPerCall()) {
                List<StagingItem> chunk = items.subList(from, Math.min(items.size(), from + tools.recall().maxFilesPerCall()));
                List<Path> files = chunk.stream().map(waiting::get).toList();
                try {
                    RunningCommand command = tools.runner().start(tools.recall().command(), files, fileSystem);
                    RecallCall call = new RecallCall(fileSystem, chunk, command);
                    calls.add(call);
                    command.onExit().thenRun(wakeUp::signal);
                    tools.recallCalls().inc();
                    tools.recalledFiles().inc(chunk.size());
                    // the HSM mounts each volume the call needs (once: it reads a volume's files together)
                    files.stream().map(places::get).filter(Objects::nonNull).map(TapePlace::volume)
                            .flatMap(Optional::stream).distinct().forEach(tools.mounts()::mounted);
                    LOG.info("{}: recalling {} files of {} with {}", batch.id(), chunk.size(), fileSystem,
                            tools.recall().command().programName());
                } catch (IOException e) {
                    String message = "cannot start the recall command " + tools.recall().command().program() + ": " + e.getMessage();
                    LOG.warn("{}: {}", batch.id(), message);
                    for (StagingItem item : chunk) {
                        waiting.remove(item);
                        report(item, StagingOutcome.retry(message));
                    }
                }
            }
        });
    }

    /**
     * Polls the state of the waiting files until each is online (copied), failed, cancelled or
     * overdue. A recall call that ended in error fails or retries those of its files it left offline.
     */
    private void awaitRecalledFiles() throws InterruptedException {
        long deadline = System.nanoTime() + tools.recall().timeout().toNanos();
        String lastProblem = "";
        while (!waiting.isEmpty()) {
            long remaining = deadline - System.nanoTime();
            if (remaining > 0) {
                // Woken early when a recall ends or an item is cancelled.
                wakeUp.await(Duration.ofNanos(Math.min(tools.recall().pollInterval().toNanos(), remaining)));
            }
            reportCancelledWaitingItems();
            stopCallsNobodyWaitsFor();
            if (waiting.isEmpty()) {
                return;
            }
            // Calls that ended before this state query: whatever it still finds offline, they left offline.
            List<RecallCall> ended = calls.stream()
                    .filter(call -> !call.command().isAlive() && !endedCallsSeen.contains(call)).toList();
            StateQuery.Report report = tools.states().query(List.copyOf(waiting.values()));
            if (!report.problems().isEmpty()) {
                lastProblem = report.whyNoReading(tools.states().command().programName());
            }
            for (Map.Entry<StagingItem, Path> entry : List.copyOf(waiting.entrySet())) {
                StagingItem item = entry.getKey();
                StateReading reading = report.readings().get(entry.getValue());
                if (reading == null) {
                    if (!Files.exists(entry.getValue())) {
                        waiting.remove(item);
                        report(item, StagingOutcome.failed("not in the archive: " + item.archiveLocation()));
                    }
                } else if (reading.state() == HsmFileState.ONLINE) {
                    waiting.remove(item);
                    copyAndReport(item);
                } else if (reading.state() == HsmFileState.LOST) {
                    waiting.remove(item);
                    report(item, StagingOutcome.failed(lostMessage(item, reading)));
                }
            }
            for (RecallCall call : ended) {
                endedCallsSeen.add(call);
                failFilesLeftOfflineBy(call);
            }
            if (!waiting.isEmpty() && System.nanoTime() - deadline >= 0) {
                reportOverdue(lastProblem);
                return;
            }
        }
    }

    private void failFilesLeftOfflineBy(RecallCall call) {
        CommandResult result;
        try {
            result = call.command().result();
        } catch (IOException e) {
            result = null;
        }
        if (result != null && result.succeeded()) {
            return; // its files should show online soon; a late one is caught by the time-out
        }
        String failure = result == null ? "the output of " + tools.recall().command().programName() + " cannot be read"
                : result.describeFailure(tools.recall().command().programName());
        boolean permanent = result != null && tools.recall().permanentExitCodes().contains(result.exitCode());
        for (StagingItem item : call.items()) {
            if (waiting.remove(item) != null) {
                String message = "recall of " + item.archiveLocation() + " failed: " + failure;
                report(item, permanent ? StagingOutcome.failed(message) : StagingOutcome.retry(message));
            }
        }
        LOG.warn("{}: recall of {} files of {} failed: {}", batch.id(), call.items().size(), call.fileSystem(), failure);
    }

    private void reportOverdue(String lastProblem) {
        for (RecallCall call : calls) {
            call.command().kill(); // a recall tool still running after the time-out is stuck
        }
        for (StagingItem item : List.copyOf(waiting.keySet())) {
            waiting.remove(item);
            report(item, StagingOutcome.retry(item.archiveLocation() + " is still offline " + tools.recall().describeTimeout()
                    + " after its recall was requested (recallTimeout)"
                    + (lastProblem.isEmpty() ? "" : "; last state query: " + lastProblem)));
        }
    }

    private void reportCancelledWaitingItems() {
        for (StagingItem item : List.copyOf(waiting.keySet())) {
            if (batch.isCancelled(item)) {
                waiting.remove(item);
                report(item, StagingOutcome.cancelled());
            }
        }
    }

    /** Kills recall calls all of whose files are done or cancelled: their tape time is better spent elsewhere. */
    private void stopCallsNobodyWaitsFor() {
        for (RecallCall call : calls) {
            if (call.command().isAlive() && call.items().stream().noneMatch(waiting::containsKey)) {
                LOG.info("{}: stopping the recall of {} files nobody waits for", batch.id(), call.items().size());
                call.command().kill();
                endedCallsSeen.add(call);
            }
        }
    }

    private void reportWithoutReading(StagingItem item, Path file, StateQuery.Report report) {
        if (!Files.exists(file)) {
            report(item, StagingOutcome.failed("not in the archive: " + item.archiveLocation()));
        } else {
            report(item, StagingOutcome.retry("no HSM state for " + item.archiveLocation() + ": "
                    + report.whyNoReading(tools.states().command().programName())));
        }
    }

    private void copyAndReport(StagingItem item) throws InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("staging of " + batch + " interrupted");
        }
        if (batch.isCancelled(item)) {
            report(item, StagingOutcome.cancelled());
            return;
        }
        report(item, tools.copier().copy(item, () -> batch.isCancelled(item)));
    }

    private Path fileSystemOf(Path file) {
        for (Path fileSystem : tools.recall().fileSystems()) {
            if (file.startsWith(fileSystem)) {
                return fileSystem;
            }
        }
        return tools.copier().root();
    }

    private static String lostMessage(StagingItem item, StateReading reading) {
        return "the archive copy of " + item.archiveLocation() + " is lost or damaged (HSM state: " + reading.text() + ")";
    }

    private void report(StagingItem item, StagingOutcome outcome) {
        listener.report(item, outcome);
    }
}
