package org.stagehand.lifecycle;

/**
 * A staged copy no request pins any more.
 *
 * @param fileId the file
 * @param stagingPath its path below the staging root
 * @param bytes its catalog size (0 when unknown)
 */
public record EvictionCandidate(String fileId, String stagingPath, long bytes) {
}
