package org.stagehand.backend.hsm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the backend recalls and waits.
 *
 * @param command the recall command
 * @param fileSystems the HSM file systems (real paths), longest first; a file is recalled with the
 *     others of the longest one containing it, or with the archive root's when none does
 * @param maxFilesPerCall the most files one recall call is given
 * @param pollInterval how often the state of files being recalled is asked
 * @param timeout how long after the recall a file may stay offline before its item is retried
 * @param permanentExitCodes recall exit codes that fail the call's files for good instead of retrying them
 */
record RecallSettings(CommandTemplate command, List<Path> fileSystems, int maxFilesPerCall,
                      Duration pollInterval, Duration timeout, Set<Integer> permanentExitCodes) {

    RecallSettings {
        fileSystems = List.copyOf(fileSystems);
        permanentExitCodes = Set.copyOf(permanentExitCodes);
    }

    /** The time-out as an operator writes it: {@code 4h}, {@code 90s}, {@code 300ms}. */
    String describeTimeout() {
        long millis = timeout.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "min";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
