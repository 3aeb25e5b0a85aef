package org.stagehand.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.testing.DropwizardTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.stagehand.app.StagehandConfiguration;

/** What the benchmarks share: an embedded PostgreSQL, a generated configuration, an HTTP client. */
final class Bench {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Bench() {
    }

    /**
     * An embedded PostgreSQL with durable commits ({@code synchronous_commit=on}, the production
     * setting; the embedded default turns it off).
     */
    static EmbeddedPostgres postgres() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", System.getProperty("stagehand.bench.synchronousCommit", "on"))
                .setServerConfig("shared_buffers", "256MB");
        if (PG_STATS) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all");
        }
        return builder.start();
    }

    /** {@code -Dstagehand.bench.pgStats=true}: PostgreSQL counts statements (pg_stat_statements), for profiling. */
    static final boolean PG_STATS = Boolean.getBoolean("stagehand.bench.pgStats");

    /**
     * With {@link #PG_STATS}, prints the statements PostgreSQL ran since the last call, most total
     * time first, and starts counting afresh; without, does nothing.
     */
    static void printPgStats(String url, String what) {
        if (!PG_STATS) {
            return;
        }
        try (Connection connection = java.sql.DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            System.out.println("pg_stat_statements after " + what + " (calls, total ms, mean ms, rows, query):");
            try (var rows = statement.executeQuery("SELECT calls, total_exec_time + total_plan_time, "
                    + " (total_exec_time + total_plan_time) / calls, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 160)"
                    + " FROM pg_stat_statements ORDER BY 2 DESC LIMIT 15")) {
                while (rows.next()) {
                    System.out.printf(Locale.ROOT, "  %8d %10.1f %8.3f %9d  %s%n", rows.getLong(1), rows.getDouble(2),
                            rows.getDouble(3), rows.getLong(4), rows.getString(5));
                }
            }
            statement.execute("SELECT pg_stat_statements_reset()");
        } catch (SQLException e) {
            System.out.println("pg_stat_statements: " + e);
        }
    }

    /** Creates a database and returns its JDBC URL. */
    static String database(EmbeddedPostgres postgres, String name) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    /** Writes a service configuration on PostgreSQL, loopback ports chosen by the OS. */
    static Path config(Path directory, String name, String databaseUrl, Path staging, Path archive,
                       String catalog, String... more) throws IOException {
        return config(directory, name, databaseUrl, staging,
                "backend:\n  type: posix\n  root: \"" + archive.toAbsolutePath() + "\"\n", catalog, more);
    }

    /** As above with a backend block of its own ({@code backend:} and its keys, each line ending in a newline). */
    static Path config(Path directory, String name, String databaseUrl, Path staging, String backend,
                       String catalog, String... more) throws IOException {
        StringBuilder yaml = new StringBuilder();
        yaml.append("server:\n")
                .append("  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]\n")
                .append("  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]\n")
                .append("  requestLog: {appenders: []}\n")
                .append("database:\n")
                .append("  driverClass: org.postgresql.Driver\n")
                .append("  url: \"").append(databaseUrl).append("\"\n")
                .append("  user: postgres\n")
                .append("  password: \"\"\n")
                .append("  maxSize: 32\n")
                .append("autoMigrate: true\n")
                .append("staging:\n")
                .append("  root: \"").append(staging.toAbsolutePath()).append("\"\n")
                .append("  createRoot: true\n")
                .append("  minFreeSpace: 1MiB\n");
        Arrays.stream(more).filter(line -> line.startsWith("  ")).forEach(line -> yaml.append(line).append('\n'));
        if (catalog != null) {
            yaml.append("catalog:\n  importAtStartup: \"").append(catalog).append("\"\n");
        }
        yaml.append("auth:\n  tokensEnvironmentVariable: STAGEHAND_BENCH_TOKENS_UNSET\n")
                .append(backend)
                .append("logging:\n  level: WARN\n  loggers:\n    org.stagehand: WARN\n");
        Arrays.stream(more).filter(line -> !line.startsWith("  ")).forEach(line -> yaml.append(line).append('\n'));
        Path config = directory.resolve(name + ".yml");
        Files.writeString(config, yaml.toString());
        return config;
    }

    /** Starts the benchmark application (the service plus a no-op resource) from a configuration file. */
    static DropwizardTestSupport<StagehandConfiguration> start(Path config) throws Exception {
        DropwizardTestSupport<StagehandConfiguration> app =
                new DropwizardTestSupport<>(BenchmarkApplication.class, config.toString());
        app.before();
        return app;
    }

    static String base(DropwizardTestSupport<?> app) {
        return "http://127.0.0.1:" + app.getLocalPort();
    }

    /** Stops the work dispatcher from claiming work: requests are still stored. */
    static void pauseWork(DropwizardTestSupport<?> app) {
        Reply reply = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.getAdminPort() + "/tasks/pause"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (reply.status() != 200) {
            throw new IllegalStateException("cannot pause work: " + reply);
        }
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(body, e);
            }
        }
    }

    static Reply post(String url, String json) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    static Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(1)).GET().build());
    }

    private static Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code {"ids": [...]}}. */
    static String idsBody(List<String> ids) {
        StringBuilder body = new StringBuilder(ids.size() * 16 + 16).append("{\"ids\": [");
        for (int i = 0; i < ids.size(); i++) {
            body.append(i == 0 ? "\"" : ", \"").append(ids.get(i)).append('"');
        }
        return body.append("]}").toString();
    }

    /** Posts a staging request and returns its UUID; fails on anything but 201. */
    static String stage(String base, List<String> ids) {
        Reply reply = post(base + "/dts/staging", idsBody(ids));
        if (reply.status() != 201) {
            throw new IllegalStateException("POST answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().get("request_id").asText();
    }

    /** Polls the request's status every {@code pollMillis} until it is no longer staging; returns it. */
    static String awaitSettled(String base, String requestId, long pollMillis) throws InterruptedException {
        while (true) {
            Reply reply = get(base + "/dts/staging?id=" + requestId);
            String status = reply.status() == 200 ? reply.json().get("status").asText() : "http " + reply.status();
            if (!"staging".equals(status)) {
                return status;
            }
            Thread.sleep(pollMillis);
        }
    }

    /** The value at quantile q of sorted values. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))];
    }

    static String f(double value) {
        return String.format(Locale.ROOT, value >= 100 ? "%.0f" : value >= 10 ? "%.1f" : "%.2f", value);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
