package org.stagehand.backend.hsm;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.DescribesPaths.ArchivedFile;
import org.stagehand.backend.DescribesPaths.Locality;
import org.stagehand.backend.support.ArchiveFileCopier;

/**
 * Says what an HSM file system holds at archive locations: a stat below the root for "is it there,
 * how big" (an HSM keeps a released file's size in its stub), and one state query for all of them
 * for where the data is. A file the state command said nothing of is left out, so the service
 * answers "cannot say now" rather than guess.
 */
final class HsmPathDescriber {

    private static final Logger LOG = LoggerFactory.getLogger(HsmPathDescriber.class);

    private final ArchiveFileCopier copier;
    private final StateQuery states;
    private final PresetLocality localities;

    HsmPathDescriber(ArchiveFileCopier copier, StateQuery states, PresetLocality localities) {
        this.copier = copier;
        this.states = states;
        this.localities = localities;
    }

    Map<String, Optional<ArchivedFile>> describeAll(Collection<String> locations) throws IOException {
        Map<String, Optional<ArchivedFile>> answers = new LinkedHashMap<>();
        Map<String, Path> present = ArchiveFiles.regularFiles(copier, locations,
                absent -> answers.put(absent, Optional.empty()));
        if (present.isEmpty()) {
            return answers;
        }
        StateQuery.Report report;
        try {
            report = states.query(List.copyOf(present.values()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + states.command().programName() + " ran");
        }
        if (report.readings().isEmpty()) {
            throw new IOException(states.command().programName() + " gave no state for any of " + present.size()
                    + " files: " + report.whyNoReading(states.command().programName()));
        }
        for (Map.Entry<String, Path> entry : present.entrySet()) {
            StateReading reading = report.readings().get(entry.getValue());
            if (reading == null) {
                LOG.warn("cannot say where the data of {} is: {}", entry.getKey(),
                        report.whyNoReading(states.command().programName()));
                continue;
            }
            long bytes;
            try {
                bytes = Files.size(entry.getValue());
            } catch (NoSuchFileException e) {
                answers.put(entry.getKey(), Optional.empty());
                continue;
            }
            Locality locality = localities.of(reading);
            answers.put(entry.getKey(), Optional.of(new ArchivedFile(bytes, Optional.empty(), locality)));
        }
        return answers;
    }
}
