package org.stagehand.bench;

import io.dropwizard.testing.DropwizardTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import org.stagehand.app.StagehandConfiguration;

/**
 * The operator console on an embedded PostgreSQL: the overview (its JSON and its page), the first
 * page of the request list, a search by file ID and a drill-down, for 100,000 stored requests of 10
 * files over a 1,000,000-row catalog against 1,000 requests over 10,000 rows, both instances side by
 * side and measured in alternating rounds (the ratio is what tells whether a view scales).
 *
 * <p>The stored requests span 30 days, one every 26 s (the small set: one every 43 min): every
 * hundredth is cancelled, every hundredth (offset one) has one failed file, those of the last
 * 2 % wait for three of their files, the rest are ready. Every catalog file is asked for once;
 * the work rows say the same (ready copies updated 5 minutes after their request, so about 1,400
 * copies fall in the last hour). The rows are written with SQL while no instance runs, then
 * {@code VACUUM ANALYZE}d, as autovacuum keeps a database that has run for a while.
 */
public final class ConsoleBenchmark {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path directory = Files.createTempDirectory("stagehand-bench-console");
        Path archive = Files.createDirectories(directory.resolve("archive"));
        try (EmbeddedPostgres postgres = Bench.postgres()) {
            String bigUrl = Bench.database(postgres, "console_big");
            String smallUrl = Bench.database(postgres, "console_small");
            Path bigConfig = Bench.config(directory, "big", bigUrl, directory.resolve("staging-big"), archive, null);
            Path smallConfig = Bench.config(directory, "small", smallUrl, directory.resolve("staging-small"), archive, null);
            // A first start creates the schema; the rows are written while no instance runs, so
            // that no instance spends the measured minutes re-reading the notified new requests.
            Bench.start(bigConfig).after();
            Bench.start(smallConfig).after();
            long started = System.nanoTime();
            populate(bigUrl, 100_000);
            populate(smallUrl, 1_000);
            System.out.printf(Locale.ROOT, "populated in %.1f s%n", (System.nanoTime() - started) / 1e9);
            DropwizardTestSupport<StagehandConfiguration> big = Bench.start(bigConfig);
            DropwizardTestSupport<StagehandConfiguration> small = Bench.start(smallConfig);
            try {
                Bench.pauseWork(big);
                Bench.pauseWork(small);
                String bigAdmin = "http://127.0.0.1:" + big.getAdminPort() + "/console/";
                String smallAdmin = "http://127.0.0.1:" + small.getAdminPort() + "/console/";
                String[][] views = {
                    {"overview JSON", "api/overview"},
                    {"overview page", ""},
                    {"request list, first page", "requests"},
                    {"search by file ID", "requests?q=c0123457"},
                    {"requests that failed, first page", "requests?status=failed"},
                    {"drill-down", "requests/" + uuid(12345)},
                };
                for (String[] view : views) {
                    time(smallAdmin + view[1].replace(uuid(12345), uuid(123)), 5);
                    time(bigAdmin + view[1], 5);
                }
                Bench.printPgStats(bigUrl, "populating and warming up");
                System.out.printf(Locale.ROOT, "%n## Console views: %d rounds x %d sequential GETs each%n%n", rounds, perRound);
                System.out.println("| view | 1,000 requests / 10k catalog: mean ms, p50, p99 | 100,000 requests / 1M catalog: mean ms, p50, p99 | ratio of means |");
                System.out.println("| --- | ---: | ---: | ---: |");
                for (String[] view : views) {
                    double smallSum = 0;
                    double bigSum = 0;
                    double[] smallAll = new double[rounds * perRound];
                    double[] bigAll = new double[rounds * perRound];
                    for (int round = 0; round < rounds; round++) {
                        double[] s = time(smallAdmin + view[1].replace(uuid(12345), uuid(123)), perRound);
                        double[] b = time(bigAdmin + view[1], perRound);
                        System.arraycopy(s, 0, smallAll, round * perRound, perRound);
                        System.arraycopy(b, 0, bigAll, round * perRound, perRound);
                        smallSum += Arrays.stream(s).sum();
                        bigSum += Arrays.stream(b).sum();
                    }
                    Arrays.sort(smallAll);
                    Arrays.sort(bigAll);
                    int n = rounds * perRound;
                    System.out.printf(Locale.ROOT, "| %s | %s, %s, %s | %s, %s, %s | %.2f |%n", view[0],
                            Bench.f(smallSum / n), Bench.f(Bench.quantile(smallAll, 0.5)), Bench.f(Bench.quantile(smallAll, 0.99)),
                            Bench.f(bigSum / n), Bench.f(Bench.quantile(bigAll, 0.5)), Bench.f(Bench.quantile(bigAll, 0.99)),
                            bigSum / smallSum);
                    Bench.printPgStats(bigUrl, view[0]);
                }
                System.out.println();
                System.out.println("overview of the large set: " + Bench.get(bigAdmin + "api/overview").body());
            } finally {
                big.after();
                small.after();
            }
        } finally {
            Bench.deleteTree(directory);
        }
    }

    /** Sequential GETs of one view, each answered 200; the milliseconds each took. */
    private static double[] time(String url, int count) {
        double[] millis = new double[count];
        for (int i = 0; i < count; i++) {
            long started = System.nanoTime();
            Bench.Reply reply = Bench.get(url);
            millis[i] = (System.nanoTime() - started) / 1e6;
            if (reply.status() != 200) {
                throw new IllegalStateException(url + ": " + reply.status() + " " + reply.body());
            }
        }
        return millis;
    }

    /** The UUID the populating SQL gives stored request number n: md5('r' || n) as a uuid. */
    private static String uuid(int n) {
        try {
            String hex = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(("r" + n).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code requests} requests of 10 files over a catalog of 10 files per request, as described above. */
    private static void populate(String url, int requests) throws Exception {
        int catalog = requests * 10;
        long spacing = 30L * 24 * 3600 / requests;
        String created = "now() - (" + requests + " - g) * interval '" + spacing + " seconds'";
        String status = "CASE WHEN g % 100 = 0 THEN 'C' WHEN g % 100 = 1 THEN 'F' WHEN g > " + (requests * 98 / 100)
                + " THEN 'S' ELSE 'R' END";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO catalog_entry (file_id, staging_path, archive_location, bytes, checksum, imported_at)"
                    + " SELECT 'c' || lpad(g::text, 7, '0'), 'cat/' || (g % 1000) || '/' || g || '.bin',"
                    + " 'cat/' || g || '.bin', 1000 + g % 5000, md5(g::text), now()"
                    + " FROM generate_series(0, " + (catalog - 1) + ") g");
            sql.execute("CREATE TEMPORARY TABLE plan AS SELECT g, " + created + " AS created_at, " + status + " AS kind"
                    + " FROM generate_series(1, " + requests + ") g");
            sql.execute("INSERT INTO staging_request (request_id, created_at, file_count, cancelled_at, client)"
                    + " SELECT md5('r' || g)::uuid, created_at, 10,"
                    + " CASE WHEN kind = 'C' THEN created_at + interval '1 minute' END, 'client-' || (g % 50)"
                    + " FROM plan");
            // File k of request g is catalog file (g - 1) * 10 + k: each file asked for once.
            String file = "'c' || lpad(((g - 1) * 10 + k)::text, 7, '0')";
            String fileState = "CASE WHEN kind = 'C' THEN 'CANCELLED' WHEN kind = 'F' AND k = 0 THEN 'FAILED'"
                    + " WHEN kind = 'S' AND k >= 7 THEN 'WAITING' ELSE 'READY' END";
            sql.execute("INSERT INTO request_file (request_id, file_id, state, error, completed_at)"
                    + " SELECT md5('r' || g)::uuid, " + file + ", " + fileState + ","
                    + " CASE WHEN kind = 'F' AND k = 0 THEN 'not in the archive: cat/' || g || '.bin' END,"
                    + " CASE WHEN " + fileState + " IN ('READY', 'FAILED') THEN created_at + interval '5 minutes' END"
                    + " FROM plan, generate_series(0, 9) k");
            String workState = "CASE WHEN kind = 'C' THEN 'IDLE' WHEN kind = 'F' AND k = 0 THEN 'FAILED'"
                    + " WHEN kind = 'S' AND k >= 7 THEN 'PENDING' ELSE 'READY' END";
            sql.execute("INSERT INTO staged_file (file_id, state, attempts, not_before, updated_at, last_requested_at,"
                    + " last_error)"
                    + " SELECT " + file + ", " + workState + ", CASE WHEN kind = 'F' AND k = 0 THEN 5 ELSE 1 END,"
                    // Queued files are due only tomorrow: no instance claims them while it is measured
                    // (before the pause, a claim would fail them, the archive being empty).
                    + " CASE WHEN " + workState + " = 'PENDING' THEN now() + interval '1 day' ELSE created_at END,"
                    + " created_at + interval '5 minutes', created_at,"
                    + " CASE WHEN kind = 'F' AND k = 0 THEN 'not in the archive: cat/' || g || '.bin' END"
                    + " FROM plan, generate_series(0, 9) k");
            // As autovacuum leaves a table that has been running for a while: statistics, and the
            // visibility map that lets counts read an index alone.
            sql.execute("VACUUM ANALYZE");
        }
    }
}
