package org.stagehand.backend.hpss;

import io.dropwizard.util.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;

/**
 * The tape-order benchmark: 1,000 files on 20 tapes, asked for in random order by 50 requests.
 *
 * <p>Both strategies run for real against the {@code hsi} stand-in (with its delays at zero); the
 * stand-in's log of mounts, locates and reads is then priced with a drive model: a mount costs
 * 60 s, moving the head costs 90 s times the fraction of the tape travelled (30 s between two
 * random points, the "average locate"), reading streams at 300 MB/s. The physical optimum mounts
 * each tape once and reads its files in one forward pass. Times are drive-busy time summed over
 * all drives.
 *
 * <ul>
 *   <li><b>request order</b>: each request is one {@code hsi "in <file>"} session fetching its
 *       files in the order asked, as users' scripts do;
 *   <li><b>ours</b>: the service's workers hand the backend batches (four concurrent
 *       {@code stage()} calls) and the backend plans across them.
 * </ul>
 */
final class RecallBenchmark {

    static final int TAPES = 20;
    static final int FILES = 1_000;
    static final int REQUESTS = 50;
    static final double MOUNT_SECONDS = 60;
    static final double FULL_LENGTH_LOCATE_SECONDS = 90; // mean distance between random points is 1/3 of the tape: 30 s
    static final double MEGABYTES_PER_SECOND = 300;
    static final long TAPE_CAPACITY_MB = 12_000_000; // an LTO-8 cartridge; positions are MB from the beginning

    /** One simulated file: where it is and how big the real one would be. */
    record BenchFile(String location, String volume, long positionMb, long sizeMb) {
    }

    /** What one strategy cost under the drive model. */
    record Cost(String strategy, int mounts, double seconds, double ratioToOptimum) {
    }

    /** The benchmark's figures. */
    record Result(Cost optimum, List<Cost> strategies) {
    }

    private final Path workDirectory;
    private final long seed;

    RecallBenchmark(Path workDirectory, long seed) {
        this.workDirectory = workDirectory;
        this.seed = seed;
    }

    /**
     * Runs request order and ours with the service's workers each handing {@code filesPerBatch}
     * files per {@code stage()} call; {@code extraBatchSizes} adds runs of ours with other sizes.
     */
    Result run(int workers, int filesPerBatch, int... extraBatchSizes) throws Exception {
        Random random = new Random(seed);
        List<BenchFile> files = layOutTapes(random);
        List<List<BenchFile>> requests = requestsInRandomOrder(files, random);
        Map<String, BenchFile> byPath = new HashMap<>();
        files.forEach(file -> byPath.put(HsiStandIn.hpssPath(file.location()), file));

        double optimumSeconds = optimumSeconds(files);
        Cost optimum = new Cost("physical optimum", TAPES, optimumSeconds, 1.0);
        List<Cost> costs = new ArrayList<>();
        costs.add(price("request order (one hsi session per request)", runRequestOrder(files, requests), byPath, optimumSeconds));
        costs.add(price("ours (" + workers + " workers x " + filesPerBatch + " files per batch)",
                runOurs(files, requests, workers, filesPerBatch), byPath, optimumSeconds));
        for (int batchSize : extraBatchSizes) {
            costs.add(price("ours (" + workers + " workers x " + batchSize + " files per batch)",
                    runOurs(files, requests, workers, batchSize), byPath, optimumSeconds));
        }
        return new Result(optimum, costs);
    }

    /** 50 files a tape, sizes log-uniform in 100 MB..5 GB, scattered along the tape between others' data. */
    private static List<BenchFile> layOutTapes(Random random) {
        List<BenchFile> files = new ArrayList<>();
        int perTape = FILES / TAPES;
        for (int tape = 1; tape <= TAPES; tape++) {
            String volume = String.format(Locale.ROOT, "BM%04d", tape);
            long[] sizes = new long[perTape];
            long used = 0;
            for (int index = 0; index < perTape; index++) {
                sizes[index] = Math.round(Math.exp(Math.log(100) + random.nextDouble() * (Math.log(5_000) - Math.log(100))));
                used += sizes[index];
            }
            double[] gaps = new double[perTape + 1];
            double gapTotal = 0;
            for (int index = 0; index <= perTape; index++) {
                gaps[index] = random.nextDouble();
                gapTotal += gaps[index];
            }
            long free = TAPE_CAPACITY_MB - used;
            long position = 0;
            for (int index = 0; index < perTape; index++) {
                position += Math.round(free * gaps[index] / gapTotal);
                files.add(new BenchFile(String.format(Locale.ROOT, "bench/%s/file%02d", volume, index), volume, position, sizes[index]));
                position += sizes[index];
            }
        }
        return files;
    }

    private static List<List<BenchFile>> requestsInRandomOrder(List<BenchFile> files, Random random) {
        List<BenchFile> shuffled = new ArrayList<>(files);
        Collections.shuffle(shuffled, random);
        List<List<BenchFile>> requests = new ArrayList<>();
        int perRequest = FILES / REQUESTS;
        for (int request = 0; request < REQUESTS; request++) {
            requests.add(List.copyOf(shuffled.subList(request * perRequest, (request + 1) * perRequest)));
        }
        return requests;
    }

    static double optimumSeconds(List<BenchFile> files) {
        Map<String, List<BenchFile>> byVolume = new LinkedHashMap<>();
        files.forEach(file -> byVolume.computeIfAbsent(file.volume(), volume -> new ArrayList<>()).add(file));
        double seconds = 0;
        for (List<BenchFile> tape : byVolume.values()) {
            tape.sort((a, b) -> Long.compare(a.positionMb(), b.positionMb()));
            seconds += MOUNT_SECONDS;
            long head = 0;
            for (BenchFile file : tape) {
                seconds += locateSeconds(head, file.positionMb()) + file.sizeMb() / MEGABYTES_PER_SECOND;
                head = file.positionMb() + file.sizeMb();
            }
        }
        return seconds;
    }

    static double locateSeconds(long fromMb, long toMb) {
        return FULL_LENGTH_LOCATE_SECONDS * Math.abs(toMb - fromMb) / TAPE_CAPACITY_MB;
    }

    private HsiStandIn prepareArchive(Path base, List<BenchFile> files) throws IOException {
        HsiStandIn hpss = new HsiStandIn(base);
        for (BenchFile file : files) {
            // the bytes are a stand-in; the drive model prices the nominal size
            hpss.onTape(file.location(), file.location(), file.volume(), file.positionMb(), 0);
        }
        return hpss;
    }

    /** Each request its own hsi session, files in the order asked. Returns the stand-in's log. */
    private List<HsiStandIn.Event> runRequestOrder(List<BenchFile> files, List<List<BenchFile>> requests) throws Exception {
        Path base = Files.createDirectories(workDirectory.resolve("request-order"));
        HsiStandIn hpss = prepareArchive(base, files);
        Path outputs = Files.createDirectories(base.resolve("out"));
        Map<String, String> environment = hpss.factory().getEnvironment();
        for (int request = 0; request < requests.size(); request++) {
            List<String> commands = new ArrayList<>();
            for (BenchFile file : requests.get(request)) {
                commands.add("get " + outputs.resolve(file.location().replace('/', '_')) + " : " + HsiStandIn.hpssPath(file.location()));
            }
            Path commandFile = base.resolve("request-" + request + ".hsi");
            Files.write(commandFile, commands);
            ProcessBuilder builder = new ProcessBuilder(HsiStandIn.executable().toString(), "-q", "in " + commandFile)
                    .redirectErrorStream(true).redirectOutput(base.resolve("request-" + request + ".out").toFile());
            builder.environment().putAll(environment);
            int exit = builder.start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("request-order session " + request + " ended with exit " + exit);
            }
        }
        return hpss.events();
    }

    /**
     * The service's workers claim the pending files of all requests in claim order, up to
     * {@code filesPerBatch} each, and call {@code stage()} concurrently; a worker claims again
     * when its batch is done.
     */
    private List<HsiStandIn.Event> runOurs(List<BenchFile> files, List<List<BenchFile>> requests, int workers, int filesPerBatch)
            throws Exception {
        Path base = Files.createDirectories(workDirectory.resolve("ours-" + filesPerBatch));
        HsiStandIn hpss = prepareArchive(base, files);
        HpssBackendFactory factory = hpss.factory();
        factory.setMaxSessions(4);
        factory.setBatchWindow(Duration.milliseconds(300));
        factory.setFetchIdleTimeout(Duration.seconds(60));
        RecordingListener listener = new RecordingListener();
        List<StagingItem> pending = new ArrayList<>();
        for (List<BenchFile> request : requests) {
            for (BenchFile file : request) {
                pending.add(hpss.item(file.location()));
            }
        }
        ExecutorService workerThreads = Executors.newFixedThreadPool(workers);
        try (ArchiveBackend backend = hpss.build(factory)) {
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += filesPerBatch) {
                List<StagingItem> claimed = List.copyOf(pending.subList(from, Math.min(pending.size(), from + filesPerBatch)));
                batches.add(workerThreads.submit(() -> {
                    backend.stage(new StagingBatch("bench-" + claimed.get(0).fileId(), claimed), listener);
                    return null;
                }));
            }
            for (Future<?> batch : batches) {
                batch.get(10, TimeUnit.MINUTES);
            }
        } finally {
            workerThreads.shutdownNow();
        }
        long fetched = listener.outcomes().values().stream().filter(outcome -> outcome instanceof StagingOutcome.Fetched).count();
        if (fetched != files.size()) {
            throw new IllegalStateException("only " + fetched + " of " + files.size() + " files were fetched: " + listener.outcomes());
        }
        return hpss.events();
    }

    /** Prices a stand-in log with the drive model, one drive per hsi process. */
    static Cost price(String strategy, List<HsiStandIn.Event> events, Map<String, BenchFile> byPath, double optimumSeconds) {
        long first = events.stream().mapToLong(HsiStandIn.Event::epochMillis).min().orElse(0);
        long last = events.stream().mapToLong(HsiStandIn.Event::epochMillis).max().orElse(0);
        System.out.printf(Locale.ROOT, "%s: stand-in ran for %.1f s of real time%n", strategy, (last - first) / 1000.0);
        Map<Long, Long> headByProcess = new HashMap<>();
        int mounts = 0;
        double seconds = 0;
        for (HsiStandIn.Event event : events) {
            switch (event.kind()) {
                case "MOUNT" -> {
                    mounts++;
                    seconds += MOUNT_SECONDS;
                    headByProcess.put(event.pid(), 0L);
                }
                case "READ" -> {
                    BenchFile file = byPath.get(event.readPath());
                    long head = headByProcess.getOrDefault(event.pid(), 0L);
                    seconds += locateSeconds(head, file.positionMb()) + file.sizeMb() / MEGABYTES_PER_SECOND;
                    headByProcess.put(event.pid(), file.positionMb() + file.sizeMb());
                }
                default -> {
                }
            }
        }
        return new Cost(strategy, mounts, seconds, seconds / optimumSeconds);
    }

    /** The result as a Markdown table. */
    static String toMarkdown(Result result) {
        StringBuilder table = new StringBuilder();
        table.append("| strategy | mounts | simulated drive time | ratio to optimum |\n");
        table.append("|---|---:|---:|---:|\n");
        List<Cost> rows = new ArrayList<>();
        rows.add(result.optimum());
        rows.addAll(result.strategies());
        for (Cost cost : rows) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %.0f s (%.2f h) | %.3f |%n",
                    cost.strategy(), cost.mounts(), cost.seconds(), cost.seconds() / 3600, cost.ratioToOptimum()));
        }
        return table.toString();
    }
}
