package org.stagehand.requests;

import java.util.List;

/**
 * A path request as stored: column lists of its {@code request_path} rows (row {@code i} is
 * {@code names[i]}, position {@code i}), and its request's client and pin.
 *
 * @param fileIds per row the catalog file, or null when the path names none
 * @param errors per row why the path names no file, or null
 * @param metadata per row the client's metadata, or null
 * @param pinSeconds the pin after completion, or null for the configured default
 */
record PathRows(String client, Long pinSeconds, List<String> names, List<String> fileIds, List<String> errors,
                List<String> metadata) {
}
