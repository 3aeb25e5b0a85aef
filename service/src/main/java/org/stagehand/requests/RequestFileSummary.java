package org.stagehand.requests;

import java.time.Instant;
import org.stagehand.work.RequestFileState;

/**
 * The files of one request in one state ({@code request_file.state}: WAITING, READY or FAILED).
 *
 * @param state the state
 * @param files how many files
 * @param bytes their catalog sizes, summed
 * @param lastCompletedAt when the last of them settled; null for WAITING
 */
public record RequestFileSummary(RequestFileState state, long files, long bytes, Instant lastCompletedAt) {
}
