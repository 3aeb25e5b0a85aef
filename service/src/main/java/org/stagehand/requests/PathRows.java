package org.stagehand.requests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A path request as asked: its paths in order (path {@code i} is {@code names[i]}, position
 * {@code i}), and its request's client and pin. Where they are stored: the first path naming a file
 * goes with that file's {@code request_file} row ({@link #asSent}); {@code request_path} holds only
 * the others ({@link #leftOver}): paths that name no file, and later spellings of a file named before.
 *
 * @param fileIds per path the catalog file, or null when the path names none
 * @param errors per path why it names no file, or null
 * @param metadata per path the client's metadata, or null
 * @param pinSeconds the pin after completion, or null for the configured default
 */
record PathRows(String client, Long pinSeconds, List<String> names, List<String> fileIds, List<String> errors,
                List<String> metadata) {

    /** The first path naming a file: kept on the file's row of the request. */
    record AsSent(int position, String path, String metadata) {
    }

    /** For each file the request names, the first path naming it. */
    Map<String, AsSent> asSent() {
        Map<String, AsSent> byFile = new HashMap<>(fileIds.size() * 4 / 3 + 1);
        for (int i = 0; i < fileIds.size(); i++) {
            if (fileIds.get(i) != null) {
                byFile.putIfAbsent(fileIds.get(i), new AsSent(i, names.get(i), metadata.get(i)));
            }
        }
        return byFile;
    }

    /** The positions of the paths that no file's row of the request holds, in order. */
    List<Integer> leftOver() {
        Map<String, Integer> first = new HashMap<>(fileIds.size() * 4 / 3 + 1);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < fileIds.size(); i++) {
            if (fileIds.get(i) == null || first.putIfAbsent(fileIds.get(i), i) != null) {
                positions.add(i);
            }
        }
        return positions;
    }
}
