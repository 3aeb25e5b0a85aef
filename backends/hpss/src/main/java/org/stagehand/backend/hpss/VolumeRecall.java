package org.stagehand.backend.hpss;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.TapeTimeline;
import org.stagehand.backend.support.Processes;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * The files of one tape volume (or of HPSS's disk cache) recalled in one {@code hsi "in <file>"}
 * session, in tape order.
 *
 * <p>hsi works through the command file one {@code get} after another, so a file is finished as
 * soon as the local file of a later {@code get} appears, or when hsi exits; its outcome is then
 * read from the error lines that name it and from its size. A failing file never decides the
 * outcome of another.
 */
final class VolumeRecall {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeRecall.class);
    /** How far past the last finished file to look for hsi's progress (files that fail leave no local file). */
    private static final int LOOKAHEAD = 32;
    /** How long a file hsi went past without completing waits for an error line naming it. */
    private static final Duration PASSED_GRACE = Duration.ofSeconds(2);

    /** Why a session ended before hsi did. */
    private enum Stop {
        NONE, TIMED_OUT, UNWANTED
    }

    private final Optional<String> volume;
    private final long sequence;
    /** Files before the session starts, guarded by the planner's lock; fixed once started. */
    final List<PlannedFile> files = new ArrayList<>();
    private volatile boolean stopRequested;
    private final List<String> unattributedErrors = new CopyOnWriteArrayList<>();
    private volatile long lastOutputNanos;
    private volatile SessionProgress progress;

    VolumeRecall(Optional<String> volume, long sequence) {
        this.volume = volume;
        this.sequence = sequence;
    }

    Optional<String> volume() {
        return volume;
    }

    long sequence() {
        return sequence;
    }

    String label() {
        return volume.map(v -> "volume " + v).orElse("disk cache");
    }

    /** Asks the running session to end hsi: no request wants its remaining files any more. */
    void requestStop() {
        stopRequested = true;
    }

    /**
     * Runs the session and hands every file's outcome to {@code planner}. Files it leaves without
     * an outcome (interrupted: the backend is closing) are for the caller to handle.
     *
     * @return a problem worth telling the health check about, or null
     */
    String run(RecallPlanner planner, Hsi hsi, HpssSettings settings) throws InterruptedException {
        int count = files.size();
        progress = new SessionProgress(volume, planner.estimate().rates());
        Path commandFile;
        try {
            Map<PlannedFile, String> unsafe = new LinkedHashMap<>();
            for (PlannedFile file : files) {
                try {
                    file.localFile = planner.stagingArea().resolve(file.targetFile());
                    Files.deleteIfExists(file.localFile); // its appearance is how we see hsi reach it
                } catch (StagingRootGuard.OutsideRootException e) {
                    unsafe.put(file, "its place in the staging area is not safe to write: " + e.getMessage());
                }
            }
            if (!unsafe.isEmpty()) {
                planner.withdraw(this, unsafe);
                count = files.size();
                if (count == 0) {
                    return null;
                }
            }
            commandFile = writeCommandFile(settings.commandDirectory());
        } catch (IOException e) {
            for (PlannedFile file : files) {
                planner.finish(file, StagingOutcome.retry("cannot prepare the hsi session for " + label() + ": " + e));
            }
            return "cannot prepare an hsi session: " + e;
        }
        String command = "in " + commandFile;
        long startNanos = System.nanoTime();
        LOG.info("recalling {} file(s) from {}: {}", count, label(), hsi.describe(command));
        Process process;
        try {
            process = hsi.start(command);
        } catch (IOException e) {
            for (PlannedFile file : files) {
                planner.finish(file, StagingOutcome.retry("cannot start hsi: " + e.getMessage()));
            }
            deleteQuietly(commandFile);
            return "cannot start hsi: " + e.getMessage();
        }
        lastOutputNanos = System.nanoTime();
        progress.started(lastOutputNanos);
        volume.ifPresent(planner.mounts()::mounted);
        HsiOutput output = new HsiOutput(line -> LOG.debug("hsi ({}): {}", label(), line), this::onError,
                line -> files.stream().anyMatch(file -> HsiMessages.mentions(line, file.remotePath)
                        || HsiMessages.mentions(line, file.localFile.toString())));
        Thread reader = Processes.readLines(process, line -> {
            lastOutputNanos = System.nanoTime();
            output.accept(line);
        }, output::end, "hsi-recall-" + process.pid());
        int finished = 0;
        int fetchedHere = 0;
        Stop stop = Stop.NONE;
        try {
            long lastProgressNanos = System.nanoTime();
            long lastSeenSize = -1;
            long passedNanos = 0;
            int lastStarted = -1;
            while (true) {
                boolean exited = !process.isAlive(); // before looking at files, so the last look sees everything
                int started = lastStarted(finished, Math.min(count, finished + LOOKAHEAD));
                for (; finished < started; finished++) {
                    PlannedFile passed = files.get(finished);
                    StagingOutcome settled = settledOutcome(passed);
                    if (settled == null) {
                        // hsi printed its error before it went on, but the reader may not have read it yet
                        if (passedNanos == 0) {
                            passedNanos = System.nanoTime();
                        }
                        if (System.nanoTime() - passedNanos < PASSED_GRACE.toNanos()) {
                            break;
                        }
                        settled = outcomeBeforeExit(passed);
                    }
                    passedNanos = 0;
                    fetchedHere += settled instanceof StagingOutcome.Fetched ? 1 : 0;
                    settle(planner, passed, settled);
                }
                long size = started >= 0 ? sizeOf(files.get(started).localFile) : -1;
                if (started != lastStarted || size != lastSeenSize || lastOutputNanos > lastProgressNanos) {
                    lastProgressNanos = Math.max(System.nanoTime(), lastOutputNanos);
                    lastStarted = started;
                    lastSeenSize = size;
                }
                if (exited) {
                    break;
                }
                if (stopRequested) {
                    stop = Stop.UNWANTED;
                    LOG.info("ending hsi for {}: no request wants its remaining files", label());
                    Processes.endTree(process.toHandle());
                    break;
                }
                if (System.nanoTime() - lastProgressNanos > settings.fetchIdleTimeout().toNanos()) {
                    stop = Stop.TIMED_OUT;
                    LOG.warn("killing hsi for {}: no progress for {}", label(), settings.fetchIdleTimeout());
                    Processes.endTree(process.toHandle());
                    break;
                }
                process.waitFor(settings.progressPollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            reader.join(2_000);
        } catch (InterruptedException e) {
            Processes.endTree(process.toHandle());
            deleteQuietly(commandFile);
            throw e;
        }
        int exitCode = stop == Stop.NONE ? process.exitValue() : -1;
        int started = lastStarted(finished, count);
        boolean othersFailed = files.stream().anyMatch(file -> !file.errors.isEmpty());
        boolean stopFound = false;
        String hungOn = null;
        List<PlannedFile> again = new ArrayList<>();
        for (int index = finished; index < count; index++) {
            PlannedFile file = files.get(index);
            StagingOutcome settled = settledOutcome(file);
            // hsi stopped at the first file it did not complete, which may lie after the last one it
            // started (a get that fails leaves no local file).
            boolean stoppedHere = !stopFound && !(settled instanceof StagingOutcome.Fetched);
            stopFound |= stoppedHere;
            if (stoppedHere && stop == Stop.TIMED_OUT && settled == null) {
                hungOn = file.remotePath;
            } else if (hungOn != null && settled == null && (fetchedHere > 0 || !file.requeuedAfterHang)) {
                // Another file hung this session: read this one in a session without it. Once only
                // when no file got through, so a session that hangs whatever it reads (a drive that
                // never comes) costs two time-outs, not one per file.
                again.add(file);
                continue;
            }
            settle(planner, file, settled != null ? settled
                    : outcomeAfterExit(file, exitCode, stop, stoppedHere, othersFailed, settings.fetchIdleTimeout()));
        }
        if (!again.isEmpty()) {
            LOG.warn("hsi for {} hung on {}; recalling the {} file(s) after it again without it", label(), hungOn, again.size());
            planner.requeue(again);
        }
        deleteQuietly(commandFile);
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("hsi for {} ended ({}) after {} ms; {} of {} file(s) reached", label(),
                stop == Stop.NONE ? HsiMessages.describeExit(exitCode) : stop, took.toMillis(), Math.max(started + 1, finished), count);
        if (stop == Stop.TIMED_OUT) {
            return "hsi made no progress for " + settings.fetchIdleTimeout() + " recalling from " + label();
        }
        if (stop == Stop.NONE && exitCode != 0 && HsiMessages.isTransientExit(exitCode)) {
            return "hsi ended with " + HsiMessages.describeExit(exitCode) + " recalling from " + label()
                    + (unattributedErrors.isEmpty() ? "" : ": " + unattributedErrors.get(0));
        }
        return null;
    }

    /** Hands a file's outcome to the planner, once its fetching is measured. */
    private void settle(RecallPlanner planner, PlannedFile file, StagingOutcome outcome) {
        progress.finished(file.location, outcome instanceof StagingOutcome.Fetched, System.nanoTime());
        planner.finish(file, outcome);
    }

    /** This running session as the estimate sees it: its files not yet finished, in order. */
    TapeTimeline.Visit runningVisit(long nowNanos) {
        List<ArchiveFile> left = files.stream().filter(file -> file.state != PlannedFile.State.DONE)
                .map(file -> file.location).toList();
        SessionProgress current = progress;
        return current != null ? current.visit(left, nowNanos)
                : TapeTimeline.Visit.queued(volume, left.stream().map(SessionProgress::timelineFile).toList());
    }

    private Path writeCommandFile(Path directory) throws IOException {
        Path commandFile = CommandFiles.create(directory, volume.orElse("disk"));
        List<String> lines = new ArrayList<>();
        lines.add("# Stagehand recall from " + label() + ", in tape order");
        for (PlannedFile file : files) {
            lines.add(getLine(file.localFile.toString(), file.remotePath));
        }
        Files.write(commandFile, lines, StandardCharsets.US_ASCII);
        return commandFile;
    }

    /** The command file's line that recalls {@code remotePath} into {@code localPath}. */
    static String getLine(String localPath, String remotePath) {
        return "get " + quote(localPath) + " : " + quote(remotePath);
    }

    static String quote(String path) {
        return '"' + path + '"';
    }

    private void onError(HsiMessages.HsiError error) {
        boolean attributed = false;
        for (PlannedFile file : files) {
            if (error.isAbout(file.remotePath) || error.isAbout(file.localFile.toString())) {
                file.errors.add(error);
                attributed = true;
            }
        }
        if (!attributed) {
            unattributedErrors.add(error.text());
        }
        LOG.info("hsi ({}): {}", label(), error.text());
    }

    /** Index of the last file in [from, to) whose local file exists, or {@code from - 1}. */
    private int lastStarted(int from, int to) {
        for (int index = to - 1; index >= from; index--) {
            if (Files.exists(files.get(index).localFile)) {
                return index;
            }
        }
        return from - 1;
    }

    /** The outcome hsi's error lines or a complete local file decide for a file; null when neither does. */
    private static StagingOutcome settledOutcome(PlannedFile file) {
        StagingOutcome fromErrors = outcomeFromErrors(file);
        if (fromErrors != null) {
            return fromErrors;
        }
        return sizeOf(file.localFile) == file.location.size() ? StagingOutcome.fetched() : null;
    }

    /** A file hsi has moved past while still running. */
    private static StagingOutcome outcomeBeforeExit(PlannedFile file) {
        StagingOutcome settled = settledOutcome(file);
        if (settled != null) {
            return settled;
        }
        return StagingOutcome.retry("hsi went past " + file.remotePath + " leaving " + Math.max(sizeOf(file.localFile), 0)
                + " of " + file.location.size() + " bytes");
    }

    /** A file hsi neither completed nor reported an error for before it ended. */
    private StagingOutcome outcomeAfterExit(PlannedFile file, int exitCode, Stop stop, boolean stoppedHere,
            boolean othersFailed, Duration idleTimeout) {
        return switch (stop) {
            case TIMED_OUT -> StagingOutcome.retry("hsi made no progress for " + idleTimeout + (stoppedHere
                    ? " reading " + file.remotePath + " and was killed; the files after it are read without it"
                    : " and was killed"));
            case UNWANTED -> StagingOutcome.retry("the recall from " + label() + " was stopped before "
                    + file.remotePath + " because no request wanted its files any more");
            case NONE -> {
                String said = unattributedErrors.isEmpty() ? "" : "; hsi said: " + unattributedErrors.get(0);
                if (stoppedHere && !HsiMessages.isTransientExit(exitCode) && !othersFailed) {
                    yield StagingOutcome.failed("hsi stopped at " + file.remotePath + " with "
                            + HsiMessages.describeExit(exitCode) + said);
                }
                yield StagingOutcome.retry("hsi ended (" + HsiMessages.describeExit(exitCode) + ") before "
                        + file.remotePath + " was complete" + said);
            }
        };
    }

    private static StagingOutcome outcomeFromErrors(PlannedFile file) {
        if (file.errors.isEmpty()) {
            return null;
        }
        HsiMessages.HsiError error = file.errors.get(0);
        if (!error.isAbout(file.remotePath)) { // about the local file: the staging area, not HPSS
            return StagingOutcome.retry("hsi cannot write the staging copy of " + file.remotePath + ": " + error.text());
        }
        String message = HsiMessages.describe(error, file.remotePath, "hsi get");
        return error.kind().permanent() ? StagingOutcome.failed(message) : StagingOutcome.retry(message);
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("cannot delete {}: {}", path, e.toString());
        }
    }

    @Override
    public String toString() {
        return "recall #" + sequence + " from " + label() + " (" + files.size() + " files)";
    }
}
