package org.stagehand.backend.hpss;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Builds {@code ls -P} commands: the recall planner's and the path lookups' listings are cut the
 * same way, at most {@code maxPathsPerListing} paths and {@code maxCommandLineBytes} bytes each.
 */
final class ListingCommands {

    private static final String LIST_COMMAND = "ls -P";

    private ListingCommands() {
    }

    /** The command listing these HPSS paths, each quoted. */
    static String command(Collection<String> remotePaths) {
        return LIST_COMMAND + " " + remotePaths.stream().map(VolumeRecall::quote).collect(Collectors.joining(" "));
    }

    /** How long the command listing this one path alone is. */
    static int singlePathBytes(String remotePath) {
        return LIST_COMMAND.length() + 1 + VolumeRecall.quote(remotePath).length();
    }

    /**
     * Splits items into listings whose commands stay within the limits; an item whose path alone is
     * over {@code maxCommandLineBytes} gets a listing of its own (the caller refuses such paths first).
     */
    static <T> List<List<T>> chunks(List<T> items, Function<T, String> remotePath, int maxPathsPerListing,
                                     int maxCommandLineBytes) {
        List<List<T>> chunks = new ArrayList<>();
        List<T> chunk = new ArrayList<>();
        int bytes = LIST_COMMAND.length();
        for (T item : items) {
            int pathBytes = 1 + VolumeRecall.quote(remotePath.apply(item)).length();
            if (!chunk.isEmpty() && (chunk.size() >= maxPathsPerListing || bytes + pathBytes > maxCommandLineBytes)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = LIST_COMMAND.length();
            }
            chunk.add(item);
            bytes += pathBytes;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }
}
