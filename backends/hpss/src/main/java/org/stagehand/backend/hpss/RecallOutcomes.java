package org.stagehand.backend.hpss;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.stagehand.backend.StagingOutcome;

/**
 * What a recall session's evidence says about one of its files: the error lines that name it,
 * the size of its local file, and how {@code hsi} ended. A failing file never decides the outcome
 * of another.
 */
final class RecallOutcomes {

    /** Why a session ended before hsi did. */
    enum Stop {
        NONE, TIMED_OUT, UNWANTED
    }

    private final String label;
    private final List<String> unattributedErrors;

    RecallOutcomes(String label, List<String> unattributedErrors) {
        this.label = label;
        this.unattributedErrors = unattributedErrors;
    }

    /** The outcome hsi's error lines or a complete local file decide for a file; null when neither does. */
    static StagingOutcome settled(PlannedFile file) {
        StagingOutcome fromErrors = fromErrors(file);
        if (fromErrors != null) {
            return fromErrors;
        }
        return sizeOf(file.localFile) == file.location.size() ? StagingOutcome.fetched() : null;
    }

    /** A file hsi has moved past while still running. */
    static StagingOutcome beforeExit(PlannedFile file) {
        StagingOutcome settled = settled(file);
        if (settled != null) {
            return settled;
        }
        return StagingOutcome.retry("hsi went past " + file.remotePath + " leaving " + Math.max(sizeOf(file.localFile), 0)
                + " of " + file.location.size() + " bytes");
    }

    /** A file hsi neither completed nor reported an error for before it ended. */
    StagingOutcome afterExit(PlannedFile file, int exitCode, Stop stop, boolean stoppedHere, boolean othersFailed,
            Duration idleTimeout) {
        return switch (stop) {
            case TIMED_OUT -> StagingOutcome.retry("hsi made no progress for " + idleTimeout + (stoppedHere
                    ? " reading " + file.remotePath + " and was killed; the files after it are read without it"
                    : " and was killed"));
            case UNWANTED -> StagingOutcome.retry("the recall from " + label + " was stopped before "
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

    private static StagingOutcome fromErrors(PlannedFile file) {
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

    static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return -1;
        }
    }
}
