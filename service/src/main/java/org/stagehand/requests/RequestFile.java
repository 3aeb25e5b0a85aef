package org.stagehand.requests;

import org.stagehand.work.RequestFileState;

/**
 * One file of a request, as the per-file view shows it.
 *
 * @param id the file's ID
 * @param path its path below the staging root
 * @param state where it stands for this request
 * @param bytes its size from the catalog, when known
 * @param error why it failed
 * @param completedAt when it settled for this request (ISO-8601)
 */
public record RequestFile(String id, String path, RequestFileState state, Long bytes, String error, String completedAt) {
}
