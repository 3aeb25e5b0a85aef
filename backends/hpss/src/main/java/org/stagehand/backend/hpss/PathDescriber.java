package org.stagehand.backend.hpss;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.DescribesPaths.ArchivedFile;
import org.stagehand.backend.DescribesPaths.Locality;
import org.stagehand.backend.support.Processes;

/**
 * Says what HPSS holds at archive locations with {@code hsi ls -P}, many paths a call, cut like the
 * planner's listings. A path hsi says is missing, or is no regular file, is absent; a path hsi said
 * nothing clear about (a failed, killed or refused call, a permission error) is left out, so the
 * service answers "cannot say now" instead of "no such file".
 */
final class PathDescriber {

    private static final Logger LOG = LoggerFactory.getLogger(PathDescriber.class);

    private final HpssSettings settings;
    private final RecallPlanner planner;
    private final ListingParser parser;

    PathDescriber(HpssSettings settings, RecallPlanner planner) {
        this.settings = settings;
        this.planner = planner;
        this.parser = new ListingParser(settings.diskVolumePattern());
    }

    Map<String, Optional<ArchivedFile>> describeAll(Collection<String> locations) throws IOException {
        Map<String, Optional<ArchivedFile>> answers = new LinkedHashMap<>();
        listAll(locations).forEach((location, file) -> answers.put(location, file.map(PathDescriber::describe)));
        return answers;
    }

    /**
     * What {@code hsi ls -P} says of each location: the file with its place on tape, or empty
     * when no regular file is there; a location hsi said nothing clear about is left out.
     */
    Map<String, Optional<ArchiveFile>> listAll(Collection<String> locations) throws IOException {
        Map<String, Optional<ArchiveFile>> answers = new LinkedHashMap<>();
        Map<String, String> locationByRemotePath = new LinkedHashMap<>();
        for (String location : locations) {
            String remotePath;
            try {
                remotePath = HpssPaths.remotePath(settings.archiveRoot(), location);
            } catch (IllegalArgumentException e) {
                answers.put(location, Optional.empty()); // outside the archive, or a name hsi cannot carry
                continue;
            }
            if (ListingCommands.singlePathBytes(remotePath) > settings.maxCommandLineBytes()) {
                LOG.warn("cannot list {}: its ls -P command would be longer than backend.maxCommandLineBytes ({})",
                        remotePath, settings.maxCommandLineBytes());
                continue;
            }
            locationByRemotePath.putIfAbsent(remotePath, location);
        }
        List<String> failures = new ArrayList<>();
        for (List<String> chunk : ListingCommands.chunks(List.copyOf(locationByRemotePath.keySet()), path -> path,
                settings.maxPathsPerListing(), settings.maxCommandLineBytes())) {
            Processes.Output result;
            try {
                result = planner.listings().run(chunk);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while hsi ls -P ran");
            } catch (IOException e) {
                failures.add("cannot start hsi: " + e.getMessage());
                continue;
            }
            if (result.timedOut()) {
                failures.add("hsi ls -P took longer than " + settings.listTimeout() + " and was killed");
                continue;
            }
            Map<String, ListingParser.Entry> entries = parser.parse(result.lines(), chunk);
            for (String remotePath : chunk) {
                String location = locationByRemotePath.get(remotePath);
                ListingParser.Entry entry = entries.get(remotePath);
                if (entry instanceof ListingParser.Found found) {
                    answers.put(location, Optional.of(found.file()));
                } else if (entry instanceof ListingParser.Problem problem && problem.noFileThere()) {
                    answers.put(location, Optional.empty());
                } else if (entry instanceof ListingParser.Problem problem) {
                    LOG.warn("cannot say what is at {}: {}", remotePath, problem.message());
                } else {
                    LOG.warn("hsi ls -P said nothing of {} ({})", remotePath, HsiMessages.describeExit(result.exitCode()));
                }
            }
            if (entries.isEmpty() && result.exitCode() != HsiMessages.EX_OK) {
                failures.add("hsi ls -P ended with " + HsiMessages.describeExit(result.exitCode())
                        + (result.lines().isEmpty() ? "" : ": " + result.lines().get(0).trim()));
            }
        }
        if (answers.isEmpty() && !locations.isEmpty()) {
            throw new IOException(failures.isEmpty() ? "hsi ls -P answered for none of " + locations.size() + " paths"
                    : String.join("; ", failures));
        }
        return answers;
    }

    /** The listing's volume label says where: a tape volume, or HPSS's disk cache (which names no tape below it). */
    private static ArchivedFile describe(ArchiveFile file) {
        return new ArchivedFile(file.size(), Optional.empty(), file.isDiskResident() ? Locality.DISK : Locality.TAPE);
    }
}
