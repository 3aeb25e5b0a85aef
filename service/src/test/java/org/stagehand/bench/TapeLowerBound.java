package org.stagehand.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stagehand.bench.TapeWorkload.TapeFile;
import org.stagehand.bench.TapeWorkload.TapeRequest;

/**
 * The offline lower bound from the whole trace: every tape that holds a requested file is mounted
 * once (with 40 tapes and 4 drives, the fewest mounts possible), its files are read in one forward
 * pass, and only the tapes that must leave a drive for another are unmounted (the cheapest ones).
 * Makespan: no less than the drive time shared by every drive, nor than the last arrival plus the
 * one-pass reading of its files. A request's completion: no less than reading its own files, each
 * tape's in one pass, on tapes already mounted in drives of its own.
 */
final class TapeLowerBound {

    private TapeLowerBound() {
    }

    static TapeOutcome of(TapeWorkload workload, int driveCount) {
        DriveModel model = workload.model();
        Map<String, List<TapeFile>> byTape = workload.byTape();
        double driveSeconds = 0;
        List<Double> unmounts = new ArrayList<>();
        for (Map.Entry<String, List<TapeFile>> tape : byTape.entrySet()) {
            driveSeconds += model.mount(tape.getKey()) + onePass(model, tape.getValue(), 0);
            unmounts.add(model.unmount(tape.getKey()));
        }
        unmounts.sort(Comparator.naturalOrder());
        for (int i = 0; i < Math.max(0, unmounts.size() - driveCount); i++) {
            driveSeconds += unmounts.get(i);
        }
        double[] completions = new double[workload.requests().size()];
        double makespan = driveSeconds / driveCount;
        for (TapeRequest request : workload.requests()) {
            double alone = 0;
            for (List<TapeFile> files : perTape(request.files()).values()) {
                alone = Math.max(alone, onePass(model, files, files.get(0).offset()));
            }
            completions[request.number()] = alone;
            makespan = Math.max(makespan, request.arrival() + alone);
        }
        return new TapeOutcome("offline lower bound", driveSeconds, byTape.size(), makespan, completions);
    }

    /** Locating forward from {@code head} to each file in position order and reading it. */
    static double onePass(DriveModel model, List<TapeFile> sortedFiles, long head) {
        double seconds = 0;
        for (TapeFile file : sortedFiles) {
            seconds += DriveModel.locate(head, file.offset()) + model.read(file.volume(), file.bytes());
            head = file.end();
        }
        return seconds;
    }

    private static Map<String, List<TapeFile>> perTape(List<TapeFile> files) {
        Map<String, List<TapeFile>> byTape = new LinkedHashMap<>();
        files.stream().sorted(Comparator.comparingLong(TapeFile::offset))
                .forEach(file -> byTape.computeIfAbsent(file.volume(), v -> new ArrayList<>()).add(file));
        return byTape;
    }
}
