package org.stagehand.backend.hpss;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.TapeTimeline;
import org.stagehand.backend.support.Processes;

/**
 * The files of one tape volume (or of HPSS's disk cache) recalled in one {@code hsi} session that
 * reads its {@code get} commands from standard input, handed over a file or two ahead of the one
 * hsi reads ({@link SessionFeed}), so that files which join the volume while it is mounted are read
 * in the same mount: in this pass when they lie ahead of the head, after a locate back otherwise.
 *
 * <p>hsi works through its commands one {@code get} after another, so a file is finished as soon
 * as the local file of a later {@code get} appears, or when hsi exits; its outcome is then read
 * from the error lines that name it and from its size ({@link RecallOutcomes}). When everything
 * handed over is done and no file is being located (or a batch window, at least two seconds, has
 * passed), the session says {@code quit} and closes hsi's input. A service that dies takes the input's
 * write end with it, so an orphaned hsi ends after the one or two files it was given.
 */
final class VolumeRecall {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeRecall.class);
    /** How far past the last finished file to look for hsi's progress (files that fail leave no local file). */
    private static final int LOOKAHEAD = 32;
    /** How many files handed to hsi may be unfinished: the one it reads and the next one. */
    private static final int AHEAD = 2;
    /** The least a session with nothing left to read waits for files being located, which may be for its volume. */
    private static final Duration LINGER = Duration.ofSeconds(2);
    /** How long a file hsi went past without completing waits for an error line naming it. */
    private static final Duration PASSED_GRACE = Duration.ofSeconds(2);

    private final Optional<String> volume;
    private final long sequence;
    /**
     * Every file of the session: written under the planner's lock (queued, joined, withdrawn),
     * read by the session's threads without it.
     */
    final List<PlannedFile> files = new CopyOnWriteArrayList<>();
    /** The files not yet handed to hsi, guarded by the planner's lock. */
    final SessionFeed feed = new SessionFeed();
    /** The files handed to hsi, in the order given; written by the session's thread only. */
    private final List<PlannedFile> sent = new CopyOnWriteArrayList<>();
    private volatile boolean stopRequested;
    private final List<String> unattributedErrors = new CopyOnWriteArrayList<>();
    private final RecallOutcomes outcomes;
    private volatile long lastOutputNanos;
    private volatile SessionProgress progress;

    VolumeRecall(Optional<String> volume, long sequence) {
        this.volume = volume;
        this.sequence = sequence;
        this.outcomes = new RecallOutcomes(label(), unattributedErrors);
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
        progress = new SessionProgress(volume, planner.estimate().rates());
        long startNanos = System.nanoTime();
        LOG.info("recalling {} file(s) from {}: {}", files.size(), label(), hsi.describe("<get commands on standard input>"));
        Process process;
        try {
            process = hsi.startSession();
        } catch (IOException e) {
            planner.feeds().close(this).forEach(file -> planner.finish(file, StagingOutcome.retry("cannot start hsi: " + e.getMessage())));
            return "cannot start hsi: " + e.getMessage();
        }
        Writer commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        lastOutputNanos = System.nanoTime();
        progress.started(lastOutputNanos);
        volume.ifPresent(planner.mounts()::mounted);
        HsiOutput output = new HsiOutput(line -> LOG.debug("hsi ({}): {}", label(), line), this::onError,
                line -> sent.stream().anyMatch(file -> HsiMessages.mentions(line, file.remotePath)
                        || HsiMessages.mentions(line, file.localFile.toString())));
        Thread reader = Processes.readLines(process, line -> {
            lastOutputNanos = System.nanoTime();
            output.accept(line);
        }, output::end, "hsi-recall-" + process.pid());
        int finished = 0;
        int fetchedHere = 0;
        RecallOutcomes.Stop stop = RecallOutcomes.Stop.NONE;
        boolean inputOpen = true;
        long lingerSinceNanos = 0;
        try {
            long lastProgressNanos = System.nanoTime();
            long lastSeenSize = -1;
            long passedNanos = 0;
            int lastStarted = -1;
            while (true) {
                boolean exited = !process.isAlive(); // before looking at files, so the last look sees everything
                int started = lastStarted(finished, Math.min(sent.size(), finished + LOOKAHEAD));
                for (; finished < started; finished++) {
                    PlannedFile passed = sent.get(finished);
                    StagingOutcome settled = RecallOutcomes.settled(passed);
                    if (settled == null) {
                        // hsi printed its error before it went on, but the reader may not have read it yet
                        if (passedNanos == 0) {
                            passedNanos = System.nanoTime();
                        }
                        if (System.nanoTime() - passedNanos < PASSED_GRACE.toNanos()) {
                            break;
                        }
                        settled = RecallOutcomes.beforeExit(passed);
                    }
                    passedNanos = 0;
                    fetchedHere += settled instanceof StagingOutcome.Fetched ? 1 : 0;
                    settle(planner, passed, settled);
                }
                if (inputOpen && !exited) {
                    inputOpen = feed(planner, commands, finished);
                    if (inputOpen && undecided(finished) == 0) {
                        // everything handed over is done: wait briefly for files on their way to this volume, then quit
                        lingerSinceNanos = lingerSinceNanos == 0 ? System.nanoTime() : lingerSinceNanos;
                        lastProgressNanos = System.nanoTime();
                        boolean lingered = System.nanoTime() - lingerSinceNanos > Math.max(settings.batchWindow().toNanos(), LINGER.toNanos());
                        if (planner.feeds().closeIfDone(this, lingered)) {
                            inputOpen = false;
                            quit(commands);
                        }
                    } else {
                        lingerSinceNanos = 0;
                    }
                }
                long size = started >= 0 ? RecallOutcomes.sizeOf(sent.get(started).localFile) : -1;
                if (started != lastStarted || size != lastSeenSize || lastOutputNanos > lastProgressNanos) {
                    lastProgressNanos = Math.max(System.nanoTime(), lastOutputNanos);
                    lastStarted = started;
                    lastSeenSize = size;
                }
                if (exited) {
                    break;
                }
                if (stopRequested) {
                    stop = RecallOutcomes.Stop.UNWANTED;
                    LOG.info("ending hsi for {}: no request wants its remaining files", label());
                    Processes.endTree(process.toHandle());
                    break;
                }
                if (System.nanoTime() - lastProgressNanos > settings.fetchIdleTimeout().toNanos()) {
                    stop = RecallOutcomes.Stop.TIMED_OUT;
                    LOG.warn("killing hsi for {}: no progress for {}", label(), settings.fetchIdleTimeout());
                    Processes.endTree(process.toHandle());
                    break;
                }
                process.waitFor(settings.progressPollInterval().toMillis(), TimeUnit.MILLISECONDS);
            }
            reader.join(2_000);
        } catch (InterruptedException e) {
            Processes.endTree(process.toHandle());
            throw e;
        }
        List<PlannedFile> unsent = planner.feeds().close(this);
        int count = sent.size();
        int exitCode = stop == RecallOutcomes.Stop.NONE ? process.exitValue() : -1;
        int started = lastStarted(finished, count);
        boolean othersFailed = sent.stream().anyMatch(file -> !file.errors.isEmpty());
        boolean stopFound = false;
        String hungOn = null;
        List<PlannedFile> again = new ArrayList<>();
        for (int index = finished; index < count; index++) {
            PlannedFile file = sent.get(index);
            StagingOutcome settled = RecallOutcomes.settled(file);
            // hsi stopped at the first file it did not complete, which may lie after the last one it
            // started (a get that fails leaves no local file).
            boolean stoppedHere = !stopFound && !(settled instanceof StagingOutcome.Fetched);
            stopFound |= stoppedHere;
            if (stoppedHere && stop == RecallOutcomes.Stop.TIMED_OUT && settled == null) {
                hungOn = file.remotePath;
            } else if (hungOn != null && settled == null && (fetchedHere > 0 || !file.requeuedAfterHang)) {
                // Another file hung this session: read this one in a session without it. Once only
                // when no file got through, so a session that hangs whatever it reads (a drive that
                // never comes) costs two time-outs, not one per file.
                again.add(file);
                continue;
            }
            settle(planner, file, settled != null ? settled
                    : outcomes.afterExit(file, exitCode, stop, stoppedHere, othersFailed, settings.fetchIdleTimeout()));
        }
        for (PlannedFile file : unsent) { // never handed to hsi: as the files after the one it stopped at
            if (hungOn != null && (fetchedHere > 0 || !file.requeuedAfterHang)) {
                again.add(file);
            } else {
                settle(planner, file, outcomes.afterExit(file, exitCode, stop, false, othersFailed, settings.fetchIdleTimeout()));
            }
        }
        if (!again.isEmpty()) {
            LOG.warn("hsi for {} hung on {}; recalling the {} file(s) after it again without it", label(), hungOn, again.size());
            planner.requeue(again);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        LOG.info("hsi for {} ended ({}) after {} ms; {} of {} file(s) reached", label(),
                stop == RecallOutcomes.Stop.NONE ? HsiMessages.describeExit(exitCode) : stop, took.toMillis(), Math.max(started + 1, finished), count);
        if (stop == RecallOutcomes.Stop.TIMED_OUT) {
            return "hsi made no progress for " + settings.fetchIdleTimeout() + " recalling from " + label();
        }
        if (stop == RecallOutcomes.Stop.NONE && exitCode != 0 && HsiMessages.isTransientExit(exitCode)) {
            return "hsi ended with " + HsiMessages.describeExit(exitCode) + " recalling from " + label()
                    + (unattributedErrors.isEmpty() ? "" : ": " + unattributedErrors.get(0));
        }
        return null;
    }

    /**
     * Hands hsi the next files of the feed while fewer than {@link #AHEAD} it was given are
     * unfinished, so that hsi goes on to the next file at once and a file that joins meanwhile can
     * still be read before the ones after it.
     *
     * @return false when hsi's input is gone (it has ended)
     */
    private boolean feed(RecallPlanner planner, Writer commands, int finished) {
        while (undecided(finished) < AHEAD) {
            List<PlannedFile> unwanted = new ArrayList<>();
            PlannedFile next = planner.feeds().nextToSend(this, unwanted);
            unwanted.forEach(file -> planner.finish(file, StagingOutcome.retry("the recall from " + label()
                    + " passed over " + file.remotePath + " because no request wanted it any more")));
            if (next == null) {
                return true;
            }
            try {
                next.localFile = planner.stagingArea().resolve(next.targetFile());
                Files.deleteIfExists(next.localFile); // its appearance is how we see hsi reach it
            } catch (IOException e) {
                planner.finish(next, StagingOutcome.retry("its place in the staging area is not safe to write: " + e.getMessage()));
                continue;
            }
            sent.add(next);
            try {
                commands.write(getLine(next.localFile.toString(), next.remotePath) + "\n");
                commands.flush();
            } catch (IOException e) {
                LOG.debug("hsi for {} takes no more commands: {}", label(), e.toString());
                return false;
            }
        }
        return true;
    }

    /** How many files handed to hsi from {@code from} on have no outcome yet: the one it reads, the ones queued. */
    private int undecided(int from) {
        int undecided = 0;
        for (int index = from; index < sent.size(); index++) {
            undecided += RecallOutcomes.settled(sent.get(index)) == null ? 1 : 0;
        }
        return undecided;
    }

    /** Tells hsi that nothing more comes: {@code quit}, then the end of its input. */
    private void quit(Writer commands) {
        try {
            commands.write("quit\n");
            commands.close();
        } catch (IOException e) {
            LOG.debug("hsi for {} has gone already: {}", label(), e.toString());
        }
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

    /** The command file's line that recalls {@code remotePath} into {@code localPath}. */
    static String getLine(String localPath, String remotePath) {
        return "get " + quote(localPath) + " : " + quote(remotePath);
    }

    static String quote(String path) {
        return '"' + path + '"';
    }

    private void onError(HsiMessages.HsiError error) {
        boolean attributed = false;
        for (PlannedFile file : sent) {
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
            if (Files.exists(sent.get(index).localFile)) {
                return index;
            }
        }
        return from - 1;
    }

    @Override
    public String toString() {
        return "recall #" + sequence + " from " + label() + " (" + files.size() + " files)";
    }
}
