package org.stagehand.backend.jdp;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;

/**
 * Downloads 1 GiB as one file and as 1,000 files of 1 MiB from a {@link FakeJdpArchive} on
 * 127.0.0.1, with the JDP backend and with curl, alternating, and prints the throughput of each and
 * the backend-to-curl ratio. Run it with {@code backends/jdp/bench/run.sh}; not a unit test.
 *
 * <p>Arguments: a work directory (needs about 4 GiB free), and optionally the number of measured
 * rounds (default 5). Each round runs every client once, interleaved, so that load from other
 * processes hits them alike; the table gives the best and the median round of each.
 */
public final class JdpBenchmark {

    private static final long MIB = 1 << 20;
    private static final int SMALL_FILES = 1000;
    private static final int CONCURRENCY = 4;

    private record Dataset(String name, List<String> ids, Map<String, Path> sources, Map<String, Checksum> md5s) {
        long bytes() {
            return sources.values().stream().mapToLong(JdpBenchmark::size).sum();
        }
    }

    private JdpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "/tmp/stagehand-jdp-bench");
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path data = work.resolve("data");
        Path out = work.resolve("out");
        Files.createDirectories(data);
        Files.createDirectories(out);
        Dataset one = dataset("1 x 1 GiB", data, 1, 1024 * MIB);
        Dataset many = dataset("1000 x 1 MiB", data, SMALL_FILES, MIB);

        try (FakeJdpArchive archive = FakeJdpArchive.start()) {
            archive.alwaysOnline(true);
            for (Dataset dataset : List.of(one, many)) {
                for (String id : dataset.ids()) {
                    archive.addFile(id, dataset.sources().get(id));
                }
            }
            JdpBackend backend = backend(archive);
            try {
                System.out.println("warming up (not measured)");
                for (Dataset dataset : List.of(one, many)) {
                    runBackend(backend, dataset, out, false);
                    runCurl(archive, dataset, out, false);
                }
                System.out.println();
                System.out.println("| data | client | MiB/s, best of " + rounds + " | MiB/s, median | runs (s) "
                        + "| ratio to curl, best | ratio to curl, median |");
                System.out.println("| --- | --- | ---: | ---: | --- | ---: | ---: |");
                for (Dataset dataset : List.of(one, many)) {
                    List<Double> curl = new ArrayList<>();
                    List<Double> plain = new ArrayList<>();
                    List<Double> curlMd5 = new ArrayList<>();
                    List<Double> hashed = new ArrayList<>();
                    for (int round = 0; round < rounds; round++) {
                        curl.add(runCurl(archive, dataset, out, false));
                        plain.add(runBackend(backend, dataset, out, false));
                        hashed.add(runBackend(backend, dataset, out, true));
                        curlMd5.add(runCurl(archive, dataset, out, true));
                    }
                    row(dataset, "curl", curl, curl);
                    row(dataset, "backend, size check only", plain, curl);
                    row(dataset, "curl, then md5sum", curlMd5, curlMd5);
                    row(dataset, "backend, md5 verified while streaming", hashed, curlMd5);
                }
            } finally {
                backend.close();
            }
        }
    }

    private static JdpBackend backend(FakeJdpArchive archive) {
        JdpBackendFactory factory = new JdpBackendFactory();
        factory.setBaseUrl(archive.baseUrl());
        factory.setAuthTokenVariable("");
        factory.setPollInterval(Duration.milliseconds(10));
        factory.setConcurrentDownloads(CONCURRENCY);
        return factory.build(new BackendContext("bench", Path.of("/tmp"), new MetricRegistry(),
                Jackson.newObjectMapper()), name -> null);
    }

    /** Seconds to stage the whole dataset with the backend. */
    private static double runBackend(JdpBackend backend, Dataset dataset, Path out, boolean verifyMd5)
            throws Exception {
        clean(out);
        List<StagingItem> items = new ArrayList<>();
        for (String id : dataset.ids()) {
            items.add(new StagingItem(id, id, id, out.resolve(id), OptionalLong.of(size(dataset.sources().get(id))),
                    verifyMd5 ? Optional.of(dataset.md5s().get(id)) : Optional.empty(), 1));
        }
        RecordingListener listener = RecordingListener.withoutContents();
        long start = System.nanoTime();
        backend.stage(new StagingBatch("bench", items), listener);
        double seconds = (System.nanoTime() - start) / 1e9;
        for (StagingItem item : items) {
            StagingOutcome outcome = listener.outcome(item.fileId());
            if (!(outcome instanceof StagingOutcome.Fetched) || size(item.temporaryFile()) != item.expectedBytes().getAsLong()) {
                throw new IllegalStateException("backend did not fetch " + item.fileId() + ": " + outcome);
            }
        }
        return seconds;
    }

    /** Seconds for curl to download the dataset (one process, connection reuse, same concurrency). */
    private static double runCurl(FakeJdpArchive archive, Dataset dataset, Path out, boolean thenMd5sum)
            throws Exception {
        clean(out);
        Path config = out.resolve("curl.cfg");
        StringBuilder lines = new StringBuilder();
        for (String id : dataset.ids()) {
            lines.append("url = \"").append(archive.baseUrl()).append("download_files/").append(id).append("/\"\n")
                    .append("output = \"").append(out.resolve(id)).append("\"\n");
        }
        Files.writeString(config, lines);
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--no-progress-meter", "--show-error", "--fail"));
        if (dataset.ids().size() > 1) {
            command.addAll(List.of("--parallel", "--parallel-max", Integer.toString(CONCURRENCY)));
        }
        command.addAll(List.of("--config", config.toString()));
        long start = System.nanoTime();
        run(command);
        if (thenMd5sum) {
            List<String> md5sum = new ArrayList<>(List.of("md5sum"));
            dataset.ids().forEach(id -> md5sum.add(out.resolve(id).toString()));
            run(md5sum);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        for (String id : dataset.ids()) {
            if (size(out.resolve(id)) != size(dataset.sources().get(id))) {
                throw new IllegalStateException("curl did not fetch " + id);
            }
        }
        return seconds;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(command.get(0) + " failed with exit code " + process.exitValue());
        }
    }

    private static Dataset dataset(String name, Path data, int files, long bytesEach) throws IOException {
        List<String> ids = new ArrayList<>();
        Map<String, Path> sources = new java.util.LinkedHashMap<>();
        Map<String, Checksum> md5s = new java.util.HashMap<>();
        SplittableRandom random = new SplittableRandom(files);
        for (int i = 0; i < files; i++) {
            String id = String.format("%s%04d", files == 1 ? "big" : "small", i);
            Path file = data.resolve(id);
            MessageDigest md5 = Checksum.newDigest("md5");
            writeRandom(file, bytesEach, random, md5);
            ids.add(id);
            sources.put(id, file);
            md5s.put(id, Checksum.of("md5", md5));
        }
        return new Dataset(name, ids, sources, md5s);
    }

    private static void writeRandom(Path file, long bytes, SplittableRandom random, MessageDigest md5)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(bytes, 4 * MIB)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long written = 0;
            while (written < bytes) {
                buffer.clear();
                while (buffer.remaining() >= Long.BYTES) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip();
                buffer.limit((int) Math.min(buffer.limit(), bytes - written));
                md5.update(buffer.array(), 0, buffer.limit());
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
        }
    }

    private static void clean(Path out) throws IOException {
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double rate(Dataset dataset, double seconds) {
        return dataset.bytes() / (double) MIB / seconds;
    }

    private static double best(List<Double> seconds) {
        return seconds.stream().min(Double::compare).orElseThrow();
    }

    /** A table row; ratios are throughput over the reference's (curl's) throughput. */
    private static void row(Dataset dataset, String client, List<Double> seconds, List<Double> reference) {
        StringBuilder runs = new StringBuilder();
        for (double s : seconds) {
            runs.append(runs.length() == 0 ? "" : ", ").append(String.format("%.2f", s));
        }
        System.out.printf("| %s | %s | %.0f | %.0f | %s | %.2f | %.2f |%n", dataset.name(), client,
                rate(dataset, best(seconds)), rate(dataset, median(seconds)), runs,
                best(reference) / best(seconds), median(reference) / median(seconds));
    }
}
