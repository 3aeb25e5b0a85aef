package org.stagehand.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.testing.DropwizardTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.stagehand.app.StagehandConfiguration;
import org.stagehand.bench.TapeWorkload.TapeFile;
import org.stagehand.bench.TapeWorkload.TapeRequest;
import org.stagehand.testing.TestArchive;

/**
 * One run of the real service on the benchmark's trace: the HPSS backend over the hsi stand-in
 * in library mode (the drive model enforced by the stand-in: 4 drives, a tape in one drive at a
 * time, every cost slept at {@code msPerSecond} real milliseconds per simulated second), files on
 * disk {@link TapeWorkload#SIZE_QUANTUM} times smaller than priced, requests posted at their
 * arrival times and polled until settled. Drive time and mounts come from the stand-in's log of
 * what the service asked for; completion times from each status's {@code completed_at}.
 */
final class TapeServiceRun {

    static final String ARCHIVE_ROOT = "/archive/project";

    private final TapeWorkload workload;
    private final Path directory;
    private final double msPerSecond;
    private final Path standIn;

    /** The error of each {@code estimated_ready_at} seen: |estimate - actual| over the time then still left. */
    final List<Double> estimateErrors = new ArrayList<>();
    /** How many polls of a waiting request carried an estimate, and how many did not. */
    int pollsWithEstimate;
    int pollsWithoutEstimate;
    /** The strategy's name, once run. */
    String name;

    TapeServiceRun(TapeWorkload workload, Path directory, double msPerSecond, Path standIn) {
        this.workload = workload;
        this.directory = directory;
        this.msPerSecond = msPerSecond;
        this.standIn = standIn;
    }

    /** Writes the namespace, the tape map, the library and the catalog (once, shared by every run). */
    static Path prepareArchive(TapeWorkload workload, Path directory) throws IOException {
        Path namespace = directory.resolve("hpss");
        TestArchive archive = new TestArchive(namespace.resolve(ARCHIVE_ROOT.substring(1)));
        StringBuilder tapes = new StringBuilder();
        for (TapeFile file : workload.files()) {
            String path = path(file);
            archive.file(file.id(), path, Math.toIntExact(file.bytes() / TapeWorkload.SIZE_QUANTUM));
            tapes.append(ARCHIVE_ROOT).append('/').append(path).append(' ').append(file.volume()).append(' ')
                    .append(file.offset() / TapeWorkload.POSITION_QUANTUM).append(" 0\n");
        }
        Files.writeString(directory.resolve("tapes.txt"), tapes);
        return archive.writeCatalog(directory.resolve("catalog.json"));
    }

    private static String path(TapeFile file) {
        return "ts/" + file.volume() + "/" + file.id() + ".bin";
    }

    private void writeLibrary(Path library, int drives) throws IOException {
        ObjectNode model = Bench.JSON.createObjectNode()
                .put("drives", drives)
                .put("ms_per_second", msPerSecond)
                .put("size_scale", TapeWorkload.SIZE_QUANTUM)
                .put("capacity_bytes", DriveModel.CAPACITY_BYTES)
                .put("full_locate_seconds", DriveModel.FULL_LOCATE_SECONDS);
        ObjectNode tapes = model.putObject("tapes");
        workload.model().tapes().forEach((volume, tape) -> tapes.putObject(volume)
                .put("mount", tape.mountSeconds()).put("unmount", tape.unmountSeconds())
                .put("bytes_per_second", tape.bytesPerSecond()));
        Files.writeString(library, Bench.JSON.writeValueAsString(model));
    }

    /** A duration of {@code seconds} simulated seconds, in the service's configuration syntax. */
    String scaled(double seconds) {
        return Math.max(1, Math.round(seconds * msPerSecond)) + " milliseconds";
    }

    /**
     * Runs the trace once.
     *
     * @param name the strategy's name in the table
     * @param drives how many drives the library has (and the backend's maxSessions)
     * @param extraBackendKeys further {@code backend:} keys, each {@code "  key: value\n"}
     * @param extraWorkKeys further {@code work:} keys, each {@code "  key: value\n"}
     */
    TapeOutcome run(EmbeddedPostgres postgres, String name, int drives, String extraBackendKeys, String extraWorkKeys)
            throws Exception {
        this.name = name;
        Path run = Files.createDirectories(directory.resolve(name.replaceAll("[^A-Za-z0-9]+", "-")));
        Path log = run.resolve("hsi.log");
        Path library = run.resolve("library.json");
        writeLibrary(library, drives);
        String backend = "backend:\n"
                + "  type: hpss\n"
                + "  hsiPath: \"" + standIn + "\"\n"
                + "  archiveRoot: " + ARCHIVE_ROOT + "\n"
                + "  maxSessions: " + drives + "\n"
                + "  batchWindow: " + scaled(10) + "\n"
                + "  listTimeout: " + scaled(300) + "\n"
                + "  fetchIdleTimeout: " + scaled(3600) + "\n"
                + "  commandDirectory: \"" + run.resolve("commands") + "\"\n"
                + extraBackendKeys
                + "  environment:\n"
                + "    HSI_STANDIN_ROOT: \"" + directory.resolve("hpss") + "\"\n"
                + "    HSI_STANDIN_TAPES: \"" + directory.resolve("tapes.txt") + "\"\n"
                + "    HSI_STANDIN_LOG: \"" + log + "\"\n"
                + "    HSI_STANDIN_LIBRARY: \"" + library + "\"\n";
        // Timing keys in simulated seconds are scaled like the drives; the lease stays real time.
        String work = "work:\n  pollInterval: " + scaled(1) + "\n  initialBackoff: " + scaled(5) + "\n  maxBackoff: "
                + scaled(600) + "\n" + extraWorkKeys;
        Path config = Bench.config(run, "service", Bench.database(postgres, "tape_" + Math.abs(name.hashCode())),
                Files.createDirectories(run.resolve("staging")), backend, directory.resolve("catalog.json").toString(), work);
        DropwizardTestSupport<StagehandConfiguration> app = Bench.start(config);
        try {
            String base = Bench.base(app);
            double[] completions = drive(base);
            double makespan = 0;
            for (int i = 0; i < completions.length; i++) {
                makespan = Math.max(makespan, workload.requests().get(i).arrival() + completions[i]);
            }
            return price(name, log, makespan, completions);
        } finally {
            app.after();
        }
    }

    /** Posts each request at its arrival and polls until all have settled; returns their completion times. */
    private double[] drive(String base) throws Exception {
        List<TapeRequest> requests = workload.requests();
        double[] completions = new double[requests.size()];
        Map<Integer, String> outstanding = new ConcurrentHashMap<>();
        Map<Integer, List<double[]>> estimates = new HashMap<>();
        long start = System.currentTimeMillis();
        Thread poster = new Thread(() -> {
            for (TapeRequest request : requests) {
                long due = start + Math.round(request.arrival() * msPerSecond);
                sleepUntil(due);
                List<String> ids = request.files().stream().map(TapeFile::id).toList();
                outstanding.put(request.number(), Bench.stage(base, ids));
            }
        }, "tape-bench-poster");
        poster.start();
        int settled = 0;
        while (settled < requests.size()) {
            Thread.sleep(Math.max(50, Math.round(10 * msPerSecond)));
            for (Map.Entry<Integer, String> entry : new ArrayList<>(outstanding.entrySet())) {
                Bench.Reply reply = Bench.get(base + "/dts/staging?id=" + entry.getValue());
                if (reply.status() != 200) {
                    continue;
                }
                JsonNode status = reply.json();
                TapeRequest request = requests.get(entry.getKey());
                double now = simulated(start, System.currentTimeMillis());
                if ("staging".equals(status.get("status").asText())) {
                    JsonNode estimate = status.get("estimated_ready_at");
                    if (estimate != null) {
                        pollsWithEstimate++;
                        estimates.computeIfAbsent(request.number(), n -> new ArrayList<>())
                                .add(new double[] {now, simulated(start, Instant.parse(estimate.asText()).toEpochMilli())});
                    } else {
                        pollsWithoutEstimate++;
                    }
                    continue;
                }
                if (!"ready".equals(status.get("status").asText())) {
                    throw new IllegalStateException("request " + request.number() + " ended " + status);
                }
                double done = simulated(start, Instant.parse(status.get("completed_at").asText()).toEpochMilli());
                completions[request.number()] = done - request.arrival();
                for (double[] sample : estimates.getOrDefault(request.number(), List.of())) {
                    if (done > sample[0]) {
                        estimateErrors.add(Math.abs(sample[1] - done) / (done - sample[0]));
                    }
                }
                outstanding.remove(entry.getKey());
                settled++;
            }
        }
        poster.join();
        return completions;
    }

    private double simulated(long start, long epochMillis) {
        return (epochMillis - start) / msPerSecond;
    }

    private static void sleepUntil(long epochMillis) {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Drive time and mounts from the stand-in's log, each cost recomputed from the drive model (a
     * check that the stand-in priced what it slept).
     */
    private TapeOutcome price(String name, Path log, double makespan, double[] completions) throws IOException {
        double driveSeconds = 0;
        int mounts = 0;
        Map<String, Integer> mountsPerTape = new LinkedHashMap<>();
        Map<String, Integer> readsPerSession = new HashMap<>();
        List<String> hottestMounts = new ArrayList<>();
        String hottest = workload.byTape().entrySet().stream().max(Map.Entry.comparingByValue(
                java.util.Comparator.comparingInt(List::size))).orElseThrow().getKey();
        long start = -1;
        int waits = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length < 3) {
                continue;
            }
            start = start < 0 ? Long.parseLong(f[0]) : start;
            double cost;
            switch (f[2]) {
                case "LMOUNT" -> {
                    cost = workload.model().mount(f[4]);
                    mounts++;
                    mountsPerTape.merge(f[4], 1, Integer::sum);
                    if (f[4].equals(hottest)) {
                        hottestMounts.add(String.format(Locale.ROOT, "%.0f", (Long.parseLong(f[0]) - start) / msPerSecond));
                    }
                }
                case "LUNMOUNT" -> cost = workload.model().unmount(f[4]);
                case "LLOCATE" -> cost = DriveModel.locate(Long.parseLong(f[5]), Long.parseLong(f[6]));
                case "LREAD" -> {
                    cost = workload.model().read(f[4], Long.parseLong(f[5]));
                    readsPerSession.merge(f[1], 1, Integer::sum);
                }
                case "WAIT" -> {
                    waits++;
                    continue;
                }
                default -> {
                    continue;
                }
            }
            double logged = Double.parseDouble(f[f[2].equals("LREAD") ? 6 : f.length - 1]);
            if (Math.abs(logged - cost) > 0.01) {
                throw new IllegalStateException("the stand-in priced " + line + " at " + logged + ", the model at " + cost);
            }
            driveSeconds += cost;
        }
        int[] perSession = readsPerSession.values().stream().mapToInt(Integer::intValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s: %d recall sessions read from tape, files per session: median %d, most %d;"
                        + " %d sessions waited for a drive; the hottest tape %s was mounted at %s s (from the first hsi call);"
                        + " mounts per tape %s%n", name, perSession.length, perSession[perSession.length / 2],
                perSession[perSession.length - 1], waits, hottest, hottestMounts, mountsPerTape);
        return new TapeOutcome(name, driveSeconds, mounts, makespan, completions);
    }
}
