package org.stagehand.backend.hpss;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The HPSS backend's validated configuration, as the planner and sessions use it.
 *
 * @param archiveRoot absolute HPSS directory that archive locations are relative to, without a
 *     trailing slash ({@code ""} when it is {@code /})
 * @param maxSessions how many {@code hsi} recall sessions may run at once (the drives)
 * @param maxListingSessions how many {@code hsi ls -P} listings may run at once, besides them
 * @param batchWindow how long to gather files after the first one arrives before planning
 * @param listTimeout how long one {@code hsi ls -P} call may take before it is killed
 * @param fetchIdleTimeout how long a recall session may go without visible progress (a new
 *     output line, a new or growing local file) before it is killed
 * @param maxPathsPerListing how many paths one {@code ls -P} call names (keeps the command line
 *     well under the kernel's per-argument limit)
 * @param maxCommandLineBytes the longest command line hsi is given: an {@code ls -P} command, a
 *     line of a command file
 * @param commandDirectory where command files for {@code hsi "in <file>"} are written
 * @param diskVolumePattern volume labels that mean "on HPSS disk cache, no mount needed", besides
 *     a missing label or {@code -}
 * @param progressPollInterval how often a running session's local files are looked at
 */
record HpssSettings(
        String archiveRoot,
        int maxSessions,
        int maxListingSessions,
        Duration batchWindow,
        Duration listTimeout,
        Duration fetchIdleTimeout,
        int maxPathsPerListing,
        int maxCommandLineBytes,
        Path commandDirectory,
        Optional<Pattern> diskVolumePattern,
        Duration progressPollInterval) {

    HpssSettings {
        Objects.requireNonNull(archiveRoot, "archiveRoot");
        Objects.requireNonNull(batchWindow, "batchWindow");
        Objects.requireNonNull(listTimeout, "listTimeout");
        Objects.requireNonNull(fetchIdleTimeout, "fetchIdleTimeout");
        Objects.requireNonNull(commandDirectory, "commandDirectory");
        Objects.requireNonNull(diskVolumePattern, "diskVolumePattern");
        Objects.requireNonNull(progressPollInterval, "progressPollInterval");
        if (maxSessions < 1 || maxListingSessions < 1 || maxPathsPerListing < 1 || maxCommandLineBytes < 1) {
            throw new IllegalArgumentException("maxSessions, maxListingSessions, maxPathsPerListing and maxCommandLineBytes must be positive");
        }
    }
}
