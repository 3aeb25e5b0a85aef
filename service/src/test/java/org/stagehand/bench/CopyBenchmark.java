package org.stagehand.bench;

import io.dropwizard.testing.DropwizardTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.stagehand.app.StagehandConfiguration;

/**
 * POSIX copy benchmark: 1 GiB as one file and as 10,000 files, staged by the service end to end
 * (POST, then polling until {@code ready}) against {@code cp -r} of the same tree in the
 * same run, and {@code cp -r} followed by {@code sync} (the service makes every file durable before
 * it appears; plain {@code cp} leaves the bytes in the page cache). Each service run stages into a
 * fresh directory, with and without catalog MD5s (the service then hashes every byte). Everything
 * lives on one file system under {@code java.io.tmpdir} (or the directory given), reads come from
 * the page cache in every variant, and written trees are deleted and synced between runs.
 *
 * <p>Usage: {@code CopyBenchmark [directory] [rounds=1] [workers=4] [maxBatchSize=256]}.
 */
public final class CopyBenchmark {

    private static final long GIB = 1L << 30;
    private static final int MANY = 10_000;
    /**
     * How often the status is polled: every 20 ms for the one file; every 100 ms for the 10,000,
     * whose status is an aggregate over 10,000 rows that, polled every 20 ms, kept one of this
     * machine's two CPUs busy in PostgreSQL. (The DTS polls every few seconds.)
     */
    private static long pollMillis(String data) {
        return "one".equals(data) ? 20 : 100;
    }

    public static void main(String[] args) throws Exception {
        Path parent = args.length > 0 && !args[0].isBlank() ? Path.of(args[0]) : Path.of(System.getProperty("java.io.tmpdir"));
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        String workers = args.length > 2 ? args[2] : "4";
        String batch = args.length > 3 ? args[3] : "256";
        Path directory = Files.createTempDirectory(Files.createDirectories(parent), "stagehand-bench-copy");
        Path archive = directory.resolve("archive");
        Path staging = Files.createDirectories(directory.resolve("staging"));
        try {
            System.out.println("generating 2 GiB of test data in " + directory + " ...");
            Map<String, String> md5s = new LinkedHashMap<>();
            md5s.put("one/one.bin", write(archive.resolve("one/one.bin"), GIB, 1));
            long each = GIB / MANY;
            for (int i = 0; i < MANY; i++) {
                String relative = String.format(Locale.ROOT, "many/d%03d/f%05d.bin", i / 100, i);
                md5s.put(relative, write(archive.resolve(relative), each, 100 + i));
            }
            Path catalog = directory.resolve("catalog.csv");
            StringBuilder csv = new StringBuilder("id,path,bytes,hash,archive_path\n");
            for (int round = 1; round <= rounds; round++) {
                for (String variant : new String[] {"plain", "md5"}) {
                    for (Map.Entry<String, String> file : md5s.entrySet()) {
                        csv.append(id(round, variant, file.getKey())).append(',')
                                .append("r").append(round).append('/').append(variant).append('/').append(file.getKey()).append(',')
                                .append(Files.size(archive.resolve(file.getKey()))).append(',')
                                .append("md5".equals(variant) ? file.getValue() : "").append(',')
                                .append(file.getKey()).append('\n');
                    }
                }
            }
            Files.writeString(catalog, csv);
            run("sync");

            try (EmbeddedPostgres postgres = Bench.postgres()) {
                Path config = Bench.config(directory, "copy", Bench.database(postgres, "bench_copy"), staging, archive,
                        catalog.toString(), "  maxFilesPerRequest: 10000", "  maxRequestBody: 4MiB",
                        "work:\n  workers: " + workers + "\n  maxBatchSize: " + batch + "\n  pollInterval: 100ms");
                DropwizardTestSupport<StagehandConfiguration> app = Bench.start(config);
                try {
                    String base = Bench.base(app);
                    System.out.printf(Locale.ROOT, "%n## POSIX copy: workers %s, maxBatchSize %s, %d round(s)%n%n", workers, batch, rounds);
                    System.out.println("| round | data | cp -r s | cp -r + sync s | Stagehand s (no checksum) | Stagehand s (MD5) "
                            + "| ratio vs cp -r | ratio vs cp -r + sync | MD5 ratio vs cp -r + sync |");
                    System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
                    for (int round = 1; round <= rounds; round++) {
                        for (String data : new String[] {"one", "many"}) {
                            double cp = cp(archive.resolve(data), directory.resolve("cp-" + data), false);
                            double cpSync = cp(archive.resolve(data), directory.resolve("cp-" + data), true);
                            double plain = stage(base, round, "plain", data, md5s, staging);
                            double md5 = stage(base, round, "md5", data, md5s, staging);
                            System.out.printf(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                                    round, "one".equals(data) ? "1 x 1 GiB" : "10,000 x 105 KiB", cp, cpSync, plain, md5,
                                    cp / plain, cpSync / plain, cpSync / md5);
                        }
                    }
                    System.out.println("\n(ratio = baseline seconds / Stagehand seconds: 1 is as fast as the baseline)");
                } finally {
                    app.after();
                }
            }
        } finally {
            Bench.deleteTree(directory);
        }
    }

    private static String id(int round, String variant, String path) {
        return "r" + round + "-" + variant + "-" + path.replace('/', '-');
    }

    /** Seconds of {@code cp -r source target} (then {@code sync}), the target deleted and synced before and after. */
    private static double cp(Path source, Path target, boolean sync) throws Exception {
        Bench.deleteTree(target);
        run("sync");
        long started = System.nanoTime();
        run("cp", "-r", source.toString(), target.toString());
        if (sync) {
            run("sync");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Bench.deleteTree(target);
        run("sync");
        return seconds;
    }

    /** Seconds from the POST of every file of {@code data} to {@code ready}; the copies are deleted after. */
    private static double stage(String base, int round, String variant, String data, Map<String, String> md5s,
                                Path staging) throws Exception {
        List<String> ids = new ArrayList<>();
        for (String path : md5s.keySet()) {
            if (path.startsWith(data + "/")) {
                ids.add(id(round, variant, path));
            }
        }
        run("sync");
        long started = System.nanoTime();
        String request = Bench.stage(base, ids);
        String status = Bench.awaitSettled(base, request, pollMillis(data));
        double seconds = (System.nanoTime() - started) / 1e9;
        if (!"ready".equals(status)) {
            throw new IllegalStateException("request " + request + " ended " + status);
        }
        Bench.deleteTree(staging.resolve("r" + round).resolve(variant));
        run("sync");
        return seconds;
    }

    /** Writes {@code size} pseudo-random bytes and returns their MD5. */
    private static String write(Path file, long size, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        MessageDigest md5 = newMd5();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            long left = size;
            while (left > 0) {
                int n = (int) Math.min(buffer.length, left);
                for (int i = 0; i < n; i += 8) {
                    long value = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        buffer[i + j] = (byte) (value >>> (8 * j));
                    }
                }
                out.write(buffer, 0, n);
                md5.update(buffer, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue());
        }
    }
}
