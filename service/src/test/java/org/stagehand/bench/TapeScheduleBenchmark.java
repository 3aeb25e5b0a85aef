package org.stagehand.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tape scheduling over the whole queue (#15): one trace (see {@link TapeWorkload}), one drive
 * model ({@link DriveModel}), every strategy. FCFS, per-request tape order and a CTA-like mount
 * policy run as discrete-event simulations; Stagehand runs for real through the HPSS backend and
 * the hsi stand-in in library mode ({@link TapeServiceRun}); the offline lower bound is computed
 * from the whole trace ({@link TapeLowerBound}).
 *
 * <p>Usage: {@code TapeScheduleBenchmark [msPerSimulatedSecond=20] [seed=15] [directory]}; with
 * {@code -Dstagehand.bench.tape.simulationOnly=true} the service is not run, with
 * {@code -Dstagehand.bench.tape.volumesOnly=true} only with {@code VOLUMES} (to try a change; the
 * table wants both).
 */
public final class TapeScheduleBenchmark {

    static final int DRIVES = 4;
    /** The CTA-like baseline's thresholds: a tape is due at 100 GB queued or a 5-minute-old file. */
    static final double CTA_MIN_BYTES = 100e9;
    static final double CTA_MIN_AGE_SECONDS = 300;

    private TapeScheduleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        double msPerSecond = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 15;
        Path parent = args.length > 2 ? Path.of(args[2]) : Path.of(System.getProperty("java.io.tmpdir"));
        TapeWorkload workload = TapeWorkload.generate(seed);
        describe(workload);

        TapeOutcome bound = TapeLowerBound.of(workload, DRIVES);
        List<TapeOutcome> outcomes = new ArrayList<>();
        TapeLibrarySimulation scripts = new TapeLibrarySimulation(workload, DRIVES);
        outcomes.add(scripts.fcfs());
        outcomes.add(scripts.perRequestTapeOrder());
        outcomes.add(new CtaLikeSimulation(workload, DRIVES, CTA_MIN_BYTES, CTA_MIN_AGE_SECONDS).run());

        List<TapeServiceRun> runs = new ArrayList<>();
        if (!Boolean.getBoolean("stagehand.bench.tape.simulationOnly")) {
            Path directory = Files.createTempDirectory(Files.createDirectories(parent), "stagehand-bench-tape");
            Path standIn = Path.of("backends/hpss/src/test/hsi/hsi").toAbsolutePath();
            System.out.println("writing the archive (" + workload.files().size() + " files) in " + directory + " ...");
            TapeServiceRun.prepareArchive(workload, directory);
            try (EmbeddedPostgres postgres = Bench.postgres()) {
                if (!Boolean.getBoolean("stagehand.bench.tape.volumesOnly")) {
                    TapeServiceRun batches = new TapeServiceRun(workload, directory, msPerSecond, standIn);
                    System.out.println("running Stagehand with work.tape.scheduling: BATCHES (as before #15) ...");
                    outcomes.add(batches.run(postgres, "Stagehand before #15: BATCHES, 4 workers x 10 s batch window",
                            DRIVES, "", "  tape:\n    scheduling: BATCHES\n"));
                    runs.add(batches);
                }
                TapeServiceRun volumes = new TapeServiceRun(workload, directory, msPerSecond, standIn);
                System.out.println("running Stagehand with work.tape.scheduling: VOLUMES (#15) ...");
                // dueBytes is compared with catalog sizes, which are SIZE_QUANTUM times smaller here: 50 GB -> 5 MB
                outcomes.add(volumes.run(postgres, "Stagehand's volume scheduler (#15): VOLUMES, defaults", DRIVES, "",
                        "  tape:\n    scheduling: VOLUMES\n    dueBytes: 5MB\n    dueAge: " + volumes.scaled(120)
                                + "\n    maxWait: " + volumes.scaled(1800) + "\n    locateWait: " + volumes.scaled(10) + "\n"));
                runs.add(volumes);
            } finally {
                Bench.deleteTree(directory);
            }
        }
        print(bound, outcomes, runs, msPerSecond);
    }

    private static void describe(TapeWorkload workload) {
        long bytes = workload.files().stream().mapToLong(TapeWorkload.TapeFile::bytes).sum();
        long[] perTape = workload.byTape().values().stream().mapToLong(List::size).sorted().toArray();
        System.out.printf(Locale.ROOT, "trace: %d files, %.2f TB, on %d tapes (files per tape: most %d, median %d, least %d),"
                        + " %d requests, last arrival at %.0f s%n", workload.files().size(), bytes / 1e12, perTape.length,
                perTape[perTape.length - 1], perTape[perTape.length / 2], perTape[0], workload.requests().size(),
                workload.requests().get(workload.requests().size() - 1).arrival());
    }

    private static void print(TapeOutcome bound, List<TapeOutcome> outcomes, List<TapeServiceRun> runs, double msPerSecond) {
        System.out.println();
        System.out.printf(Locale.ROOT, "%d drives; simulated seconds (the service ran at %.0f ms a simulated second)%n%n",
                DRIVES, msPerSecond);
        System.out.println("| strategy | drive time (h) | x bound | mounts | x bound | makespan (h) | mean completion (min) | p95 completion (min) |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        List<TapeOutcome> rows = new ArrayList<>(outcomes);
        rows.add(bound);
        for (TapeOutcome row : rows) {
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %d | %.2f | %.2f | %.1f | %.1f |%n", row.strategy(),
                    row.driveSeconds() / 3600, row.driveSeconds() / bound.driveSeconds(), row.mounts(),
                    (double) row.mounts() / bound.mounts(), row.makespan() / 3600, row.meanCompletion() / 60,
                    row.p95Completion() / 60);
        }
        System.out.println();
        System.out.println("(the bound's completion times: each request alone, on tapes already mounted in drives of its own)");
        for (TapeServiceRun run : runs) {
            double[] errors = run.estimateErrors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%s: estimated_ready_at: %d polls of waiting requests with an estimate, %d without;"
                            + " |estimate - actual| / time left: median %.2f, p90 %.2f%n", run.name, run.pollsWithEstimate,
                    run.pollsWithoutEstimate, Bench.quantile(errors, 0.5), Bench.quantile(errors, 0.9));
        }
    }
}
