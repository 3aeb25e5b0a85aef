package org.stagehand.bench;

import io.dropwizard.testing.DropwizardTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.stagehand.app.StagehandConfiguration;

/**
 * Size benchmark on an embedded PostgreSQL with durable commits; run it with {@code -Xmx512m}.
 *
 * <ul>
 *   <li>A 100,000-ID POST ({@code maxFilesPerRequest} and {@code maxRequestBody} raised) against a
 *       1,000,000-row catalog: once for files never asked for, once for files already queued.
 *   <li>Status of one request (random among those stored) with a 1,000,000-row catalog and 100,000
 *       stored requests of 10 files, against 10,000 catalog rows and 1,000 requests: two
 *       instances side by side, measured in alternating rounds.
 * </ul>
 * Work is paused: the measured paths are the API's. Stored requests are written with SQL, as the
 * service itself would store them.
 */
public final class SizeBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Path directory = Files.createTempDirectory("stagehand-bench-size");
        Path archive = Files.createDirectories(directory.resolve("archive"));
        System.out.println("max heap: " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB");
        try (EmbeddedPostgres postgres = Bench.postgres()) {
            String bigUrl = Bench.database(postgres, "bench_big");
            String smallUrl = Bench.database(postgres, "bench_small");
            // Status answers kept in memory would hide what this measures: how the query scales.
            String[] limits = {"  maxFilesPerRequest: 100000", "  maxRequestBody: 8MiB", "  statusCacheEntries: 0"};
            DropwizardTestSupport<StagehandConfiguration> big = Bench.start(
                    Bench.config(directory, "big", bigUrl, directory.resolve("staging-big"), archive, null, limits));
            DropwizardTestSupport<StagehandConfiguration> small = Bench.start(
                    Bench.config(directory, "small", smallUrl, directory.resolve("staging-small"), archive, null, limits));
            try {
                Bench.pauseWork(big);
                Bench.pauseWork(small);
                long started = System.nanoTime();
                // Stored requests ask for the first 900,000 catalog IDs; the last 100,000 are fresh.
                populate(bigUrl, 1_000_000, 100_000, 900_000);
                populate(smallUrl, 10_000, 1_000, 10_000);
                System.out.printf(Locale.ROOT, "populated in %.1f s%n", (System.nanoTime() - started) / 1e9);

                String bigBase = Bench.base(big);
                String smallBase = Bench.base(small);
                // Warm up both before any figure is taken.
                status(bigBase, 100_000, 500, new Random(7));
                status(smallBase, 1_000, 500, new Random(7));

                System.out.println("\n## 100,000-ID POST, 1,000,000-row catalog, -Xmx" + Runtime.getRuntime().maxMemory() / (1 << 20) + "m\n");
                System.out.println("| request | HTTP | seconds |");
                System.out.println("| --- | ---: | ---: |");
                Bench.printPgStats(bigUrl, "populating and warming up");
                post(bigBase, "100,000 files never asked for", range(900_000, 1_000_000));
                Bench.printPgStats(bigUrl, "100,000 files never asked for");
                post(bigBase, "100,000 files already queued by stored requests", range(0, 100_000));
                Bench.printPgStats(bigUrl, "100,000 files already queued");
                post(bigBase, "the same 100,000 again", range(0, 100_000));
                Bench.printPgStats(bigUrl, "the same 100,000 again");

                System.out.printf(Locale.ROOT, "%n## Status of one request: %d rounds x %d sequential GETs each%n%n", rounds, perRound);
                System.out.println("| round | 1,000 requests / 10k catalog: mean ms, p50, p99 | 100,000 requests / 1M catalog: mean ms, p50, p99 | ratio of means |");
                System.out.println("| ---: | ---: | ---: | ---: |");
                double smallSum = 0;
                double bigSum = 0;
                Random random = new Random(11);
                for (int round = 1; round <= rounds; round++) {
                    double[] s = status(smallBase, 1_000, perRound, random);
                    double[] b = status(bigBase, 100_000, perRound, random);
                    smallSum += s[0];
                    bigSum += b[0];
                    System.out.printf(Locale.ROOT, "| %d | %s, %s, %s | %s, %s, %s | %.2f |%n", round,
                            Bench.f(s[0]), Bench.f(s[1]), Bench.f(s[2]), Bench.f(b[0]), Bench.f(b[1]), Bench.f(b[2]), b[0] / s[0]);
                }
                System.out.printf(Locale.ROOT, "| all | %s | %s | **%.2f** |%n", Bench.f(smallSum / rounds), Bench.f(bigSum / rounds),
                        bigSum / smallSum);
            } finally {
                big.after();
                small.after();
            }
        } finally {
            Bench.deleteTree(directory);
        }
    }

    private static List<String> range(int from, int to) {
        List<String> ids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ids.add(id(i));
        }
        return ids;
    }

    private static String id(int i) {
        return String.format(Locale.ROOT, "c%07d", i);
    }

    private static void post(String base, String what, List<String> ids) {
        String body = Bench.idsBody(ids);
        long started = System.nanoTime();
        Bench.Reply reply = Bench.post(base + "/dts/staging", body);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f |%n", what, reply.status(), seconds);
        if (reply.status() != 201) {
            System.out.println("  " + reply.body());
        }
    }

    /** Sequential status GETs of random stored requests: mean, p50, p99 in ms. */
    private static double[] status(String base, int requests, int count, Random random) {
        double[] millis = new double[count];
        for (int i = 0; i < count; i++) {
            String request = uuid(1 + random.nextInt(requests));
            long started = System.nanoTime();
            Bench.Reply reply = Bench.get(base + "/dts/staging?id=" + request);
            millis[i] = (System.nanoTime() - started) / 1e6;
            if (reply.status() != 200) {
                throw new IllegalStateException("status of " + request + ": " + reply.status() + " " + reply.body());
            }
        }
        double mean = Arrays.stream(millis).average().orElse(0);
        Arrays.sort(millis);
        return new double[] {mean, Bench.quantile(millis, 0.5), Bench.quantile(millis, 0.99)};
    }

    /** The UUID the populating SQL gives stored request number n: md5('r' || n) as a uuid. */
    private static String uuid(int n) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5")
                    .digest(("r" + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String hex = java.util.HexFormat.of().formatHex(digest);
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A catalog of {@code catalog} rows, and {@code requests} requests of 10 files each over the
     * first {@code covered} IDs, 7 of each request's files ready and 3 waiting, as the service
     * would have stored them.
     */
    private static void populate(String url, int catalog, int requests, int covered) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO catalog_entry (file_id, staging_path, archive_location, bytes, checksum, imported_at)"
                    + " SELECT 'c' || lpad(g::text, 7, '0'), 'cat/' || (g % 1000) || '/' || g || '.bin',"
                    + " 'cat/' || g || '.bin', 1000 + g % 5000, md5(g::text), now()"
                    + " FROM generate_series(0, " + (catalog - 1) + ") g");
            sql.execute("INSERT INTO staging_request (request_id, created_at, file_count)"
                    + " SELECT md5('r' || g)::uuid, now() - interval '1 hour', 10 FROM generate_series(1, " + requests + ") g");
            sql.execute("INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at)"
                    + " SELECT 'c' || lpad(g::text, 7, '0'), 'PENDING', 0, now(), now(), now()"
                    + " FROM generate_series(0, " + (covered - 1) + ") g");
            sql.execute("INSERT INTO request_file (request_id, file_id, state, completed_at)"
                    + " SELECT md5('r' || g)::uuid, 'c' || lpad((((g - 1) * 10 + k) % " + covered + ")::text, 7, '0'),"
                    + " CASE WHEN k < 7 THEN 'READY' ELSE 'WAITING' END,"
                    + " CASE WHEN k < 7 THEN now() ELSE NULL END"
                    + " FROM generate_series(1, " + requests + ") g, generate_series(0, 9) k"
                    + " ON CONFLICT DO NOTHING");
            sql.execute("ANALYZE");
        }
    }
}
