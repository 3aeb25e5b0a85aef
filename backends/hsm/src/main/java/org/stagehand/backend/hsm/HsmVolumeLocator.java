package org.stagehand.backend.hsm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stagehand.backend.LocatesOnTape.TapePlace;
import org.stagehand.backend.support.ArchiveFileCopier;

/**
 * Says where files lie from one state query of them all, for a preset whose state tool prints the
 * volume: an online file needs no mount; an offline one (or one being recalled) lies where the tool
 * places its copy. Everything the tool cannot place (no usable copy, a lost or unrecognised state,
 * no reading, no regular file) is left out, so the service stages it as before, in ordinary batches.
 */
final class HsmVolumeLocator {

    private final ArchiveFileCopier copier;
    private final StateQuery states;

    HsmVolumeLocator(ArchiveFileCopier copier, StateQuery states) {
        if (!states.places()) {
            throw new IllegalArgumentException(states.command().programName() + " does not say where files lie");
        }
        this.copier = copier;
        this.states = states;
    }

    Map<String, TapePlace> locate(Collection<String> locations) throws IOException, InterruptedException {
        Map<String, Path> present = ArchiveFiles.regularFiles(copier, locations, absent -> { });
        Map<String, TapePlace> places = new LinkedHashMap<>();
        if (present.isEmpty()) {
            return places;
        }
        StateQuery.Report report = states.query(List.copyOf(present.values()));
        if (report.readings().isEmpty() && !report.problems().isEmpty()) {
            throw new IOException(report.whyNoReading(states.command().programName()));
        }
        present.forEach((location, file) -> {
            StateReading reading = report.readings().get(file);
            if (reading == null) {
                return;
            }
            switch (reading.state()) {
                case ONLINE -> places.put(location, TapePlace.onDisk());
                case OFFLINE, RECALLING -> {
                    TapePlace place = report.places().get(file);
                    if (place != null) {
                        places.put(location, place);
                    }
                }
                case LOST, UNRECOGNIZED -> {
                    // the batch reports these; a volume batch would only carry them along
                }
                default -> throw new IllegalStateException("unhandled state " + reading.state());
            }
        });
        return places;
    }
}
