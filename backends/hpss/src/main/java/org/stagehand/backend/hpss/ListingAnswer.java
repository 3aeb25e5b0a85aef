package org.stagehand.backend.hpss;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.Processes;

/**
 * What one planner's {@code hsi ls -P} call said about each path it listed: where the file is, or
 * the outcome its items get now.
 *
 * @param output what hsi printed, or null when it could not be started
 * @param startFailure why hsi could not be started, or null
 * @param entries the parsed listing, by path
 * @param listTimeout the configured {@code listTimeout}, for the message when hsi took longer
 */
record ListingAnswer(Processes.Output output, String startFailure, Map<String, ListingParser.Entry> entries,
        Duration listTimeout) {

    /** The call's failure for the health check, or null when hsi answered as it should. */
    String problem() {
        if (startFailure != null) {
            return startFailure;
        }
        if (output.timedOut()) {
            return timedOutMessage();
        }
        return entries.values().stream().noneMatch(ListingParser.Found.class::isInstance)
                && output.exitCode() != 0 && HsiMessages.isTransientExit(output.exitCode())
                ? "hsi ls -P ended with " + HsiMessages.describeExit(output.exitCode()) + firstLine(output.lines())
                : null;
    }

    /** Where hsi located the file, if it did. */
    Optional<ArchiveFile> located(String remotePath) {
        return entries.get(remotePath) instanceof ListingParser.Found found ? Optional.of(found.file()) : Optional.empty();
    }

    /** The outcome of a path hsi did not locate. */
    StagingOutcome outcome(String remotePath) {
        ListingParser.Entry entry = entries.get(remotePath);
        if (entry instanceof ListingParser.Problem problem) {
            return problem.permanent() ? StagingOutcome.failed(problem.message()) : StagingOutcome.retry(problem.message());
        }
        if (startFailure != null) {
            return StagingOutcome.retry(startFailure);
        }
        if (output.timedOut()) {
            return StagingOutcome.retry(timedOutMessage());
        }
        return StagingOutcome.retry("hsi ls -P did not list " + remotePath + " ("
                + HsiMessages.describeExit(output.exitCode()) + firstLine(output.lines()) + ")");
    }

    private String timedOutMessage() {
        return "hsi ls -P took longer than " + listTimeout + " and was killed";
    }

    private static String firstLine(List<String> lines) {
        return lines.isEmpty() ? "" : ": " + lines.get(0).trim();
    }
}
