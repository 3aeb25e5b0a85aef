package org.stagehand.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tape REST benchmark: {@code POST /api/v1/stage} of 1,000 paths and {@code GET /api/v1/stage/<id>}
 * of a 1,000-file request, each against a no-op endpoint of the same application with a body of the
 * same shape and size ({@code /bench/noop/stage}), driven by {@code wrk} over loopback; then FTS's
 * pattern: 500 requests of 200 files, each polled every 10 s, with poll latency and the service's
 * CPU per poll. The service runs as a process of its own (so its CPU time, read from the OS, is its
 * own and not the client's) on an embedded PostgreSQL with durable commits. Work is paused: the
 * figures are the API's, and requests are stored exactly as usual. A stage stores its path list,
 * expanded into the files' rows by a thread of the service while the scenario runs and after it:
 * each stage scenario is followed by a wait until nothing is left to expand (so that the next
 * scenario does not pay for it), and the rate of that expansion is printed too.
 *
 * <p>Usage: {@code TapeRestBenchmark [connections=16] [seconds=10] [rounds=3] [ftsSeconds=60]} (0: no FTS
 * pattern). {@code -Dstagehand.bench.pgStats=true} prints PostgreSQL's statements after each scenario.
 * {@code BENCH_SERVER_JAVA_OPTS} adds JVM options to the service process (e.g. a JFR recording).
 */
public final class TapeRestBenchmark {

    /** Files in the catalog: the FTS pattern's 500 x 200 files share them, each in five requests. */
    private static final int CATALOG = 20_000;
    private static final int FILES_PER_STAGE = 1000;
    private static final int POLLED_REQUESTS = 20;
    private static final int FTS_REQUESTS = 500;
    private static final int FTS_FILES = 200;
    private static final Duration FTS_POLL_INTERVAL = Duration.ofSeconds(10);


    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int ftsSeconds = args.length > 3 ? Integer.parseInt(args[3]) : 60;

        Path directory = Files.createTempDirectory("stagehand-bench-tape");
        Path archive = Files.createDirectories(directory.resolve("archive"));
        Path catalog = directory.resolve("catalog.csv");
        StringBuilder csv = new StringBuilder("id,path,bytes,hash\n");
        for (int i = 0; i < CATALOG; i++) {
            csv.append(String.format(Locale.ROOT, "t%07d,tape/%03d/%07d.bin,1000,\n", i, i % 1000, i));
        }
        Files.writeString(catalog, csv);
        Process service = null;
        try (EmbeddedPostgres postgres = Bench.postgres()) {
            String databaseUrl = Bench.database(postgres, "bench_tape");
            int apiPort = freePort();
            int adminPort = freePort();
            Path config = Bench.config(directory, "tape", databaseUrl, directory.resolve("staging"), archive,
                    catalog.toString(), "tapeRest:\n  enabled: true\n  maxUnfinishedRequestsPerClient: 100000000");
            Files.writeString(config, Files.readString(config)
                    .replaceFirst("port: 0", "port: " + apiPort).replaceFirst("port: 0", "port: " + adminPort));
            service = startService(config, directory.resolve("service.log"));
            String base = "http://127.0.0.1:" + apiPort;
            awaitUp(base, service);
            Bench.Reply paused = Bench.post("http://127.0.0.1:" + adminPort + "/tasks/pause", "");
            if (paused.status() != 200) {
                throw new IllegalStateException("cannot pause work: " + paused);
            }

            List<String> polled = new ArrayList<>();
            for (int r = 0; r < POLLED_REQUESTS; r++) {
                polled.add(stage(base, r * FILES_PER_STAGE, FILES_PER_STAGE));
            }
            awaitExpanded(databaseUrl); // polled as the files' rows, not as their lists
            int realBytes = Bench.get(base + "/api/v1/stage/" + polled.get(0)).body().getBytes(StandardCharsets.UTF_8).length;
            int noOpBytes = Bench.get(base + "/bench/noop/stage/" + polled.get(0) + "?files=" + FILES_PER_STAGE).body()
                    .getBytes(StandardCharsets.UTF_8).length;

            Path stageScript = Files.writeString(directory.resolve("stage.lua"), stageLua());
            Map<String, String[]> scenarios = new LinkedHashMap<>();
            scenarios.put("no-op stage", new String[] {base + "/bench/noop/stage", stageScript.toString()});
            scenarios.put("stage 1,000 paths", new String[] {base + "/api/v1/stage", stageScript.toString()});
            scenarios.put("no-op poll", new String[] {base, Files.writeString(directory.resolve("noop-poll.lua"),
                    pollLua(polled, "/bench/noop/stage/", "?files=" + FILES_PER_STAGE)).toString()});
            scenarios.put("poll 1,000 files", new String[] {base, Files.writeString(directory.resolve("poll.lua"),
                    pollLua(polled, "/api/v1/stage/", "")).toString()});

            System.out.println("warming up (" + Math.max(3, seconds / 2) + " s per scenario)...");
            for (Map.Entry<String, String[]> scenario : scenarios.entrySet()) {
                Wrk.run(scenario.getValue()[0], scenario.getValue()[1], connections, Math.max(3, seconds / 2), "--timeout", "60s");
                if (scenario.getKey().startsWith("stage")) {
                    awaitExpanded(databaseUrl);
                }
            }
            Bench.printPgStats(databaseUrl, "warm-up");
            Map<String, List<Wrk.Result>> results = new LinkedHashMap<>();
            List<Double> expansions = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, String[]> scenario : scenarios.entrySet()) {
                    Wrk.Result result = Wrk.run(scenario.getValue()[0], scenario.getValue()[1], connections, seconds, "--timeout", "60s");
                    results.computeIfAbsent(scenario.getKey(), key -> new ArrayList<>()).add(result);
                    Bench.printPgStats(databaseUrl, scenario.getKey());
                    System.out.printf(Locale.ROOT, "round %d  %-18s %9s req/s  p50 %7s ms  p99 %7s ms%s%n", round,
                            scenario.getKey(), Bench.f(result.rate()), Bench.f(result.p50()), Bench.f(result.p99()),
                            result.bad() > 0 ? "  NON-2XX " + result.bad() : "");
                    if (scenario.getKey().startsWith("stage")) {
                        // The next scenario starts on a service with nothing left to expand.
                        Expansion expansion = awaitExpanded(databaseUrl);
                        long stored = Math.round(result.rate() * seconds) * FILES_PER_STAGE;
                        System.out.printf(Locale.ROOT, "         expansion: %d of ~%d paths left when the scenario ended, "
                                + "expanded in %.1f s after it: ~%s paths/s over scenario and drain%n", expansion.paths(),
                                stored, expansion.seconds(), Bench.f(stored / (seconds + expansion.seconds())));
                        expansions.add(stored / (seconds + expansion.seconds()));
                    }
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "## Tape REST: %d connections, wrk -t2, %d s x %d rounds, catalog %d, loopback%n%n",
                    connections, seconds, rounds, CATALOG);
            System.out.printf(Locale.ROOT, "poll body: %d bytes (door), %d bytes (no-op)%n%n", realBytes, noOpBytes);
            System.out.println("| scenario | requests/s (mean of rounds) | p50 ms (median) | p99 ms (median) | ratio to no-op |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            for (String name : scenarios.keySet()) {
                List<Wrk.Result> list = results.get(name);
                double rate = list.stream().mapToDouble(Wrk.Result::rate).average().orElse(0);
                String baseline = name.startsWith("stage") || name.equals("no-op stage") ? "no-op stage" : "no-op poll";
                double baseRate = results.get(baseline).stream().mapToDouble(Wrk.Result::rate).average().orElse(1);
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, Bench.f(rate),
                        Bench.f(Wrk.median(list.stream().mapToDouble(Wrk.Result::p50).toArray())),
                        Bench.f(Wrk.median(list.stream().mapToDouble(Wrk.Result::p99).toArray())),
                        name.startsWith("no-op") ? "1 (baseline)" : String.format(Locale.ROOT, "%.2f", rate / baseRate));
            }
            System.out.printf(Locale.ROOT, "%nexpansion of the stored path lists into files' rows (one thread, while and after "
                    + "the stage scenario): %s paths/s (mean of rounds)%n",
                    Bench.f(expansions.stream().mapToDouble(Double::doubleValue).average().orElse(0)));
            if (ftsSeconds > 0) {
                ftsPattern(base, "http://127.0.0.1:" + adminPort, service, ftsSeconds, databaseUrl);
            }
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(30, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            Bench.deleteTree(directory);
        }
    }

    /** 500 requests of 200 distinct files, each polled every 10 s from a moment of its own, for {@code seconds}. */
    private static void ftsPattern(String base, String admin, Process service, int seconds, String databaseUrl)
            throws Exception {
        List<String> requests = new ArrayList<>();
        for (int r = 0; r < FTS_REQUESTS; r++) {
            requests.add(stage(base, r * FTS_FILES % CATALOG, FTS_FILES));
        }
        awaitExpanded(databaseUrl); // polled as the files' rows, not as their lists
        Duration idleCpuBefore = cpu(service);
        Thread.sleep(FTS_POLL_INTERVAL.toMillis());
        Duration idleCpu = cpu(service).minus(idleCpuBefore);

        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(32);
        long[] cacheBefore = liveCacheCounts(admin);
        Duration cpuBefore = cpu(service);
        long started = System.nanoTime();
        for (int r = 0; r < FTS_REQUESTS; r++) {
            String url = base + "/api/v1/stage/" + requests.get(r);
            long offset = FTS_POLL_INTERVAL.toMillis() * r / FTS_REQUESTS;
            pollers.scheduleAtFixedRate(() -> {
                long start = System.nanoTime();
                Bench.Reply reply = Bench.get(url);
                latencies.add(System.nanoTime() - start);
                if (reply.status() != 200) {
                    failures.incrementAndGet();
                }
            }, offset, FTS_POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
        Thread.sleep(seconds * 1000L);
        pollers.shutdownNow();
        pollers.awaitTermination(1, TimeUnit.MINUTES);
        double elapsed = (System.nanoTime() - started) / 1e9;
        Duration pollCpu = cpu(service).minus(cpuBefore);
        long[] cacheAfter = liveCacheCounts(admin);

        double[] sorted = latencies.stream().mapToDouble(nanos -> nanos / 1e6).sorted().toArray();
        int polls = sorted.length;
        double idleShare = idleCpu.toNanos() / 1e6 * elapsed / (FTS_POLL_INTERVAL.toMillis() / 1000.0);
        System.out.printf(Locale.ROOT, "%n## FTS pattern: %d requests x %d files, each polled every %d s, for %.0f s%n%n",
                FTS_REQUESTS, FTS_FILES, FTS_POLL_INTERVAL.toSeconds(), elapsed);
        System.out.println("| polls | polls/s | non-200 | p50 ms | p99 ms | max ms | service CPU ms per poll | less idle CPU |");
        System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        System.out.printf(Locale.ROOT, "| %d | %s | %d | %s | %s | %s | %s | %s |%n", polls, Bench.f(polls / elapsed),
                failures.get(), Bench.f(Bench.quantile(sorted, 0.5)), Bench.f(Bench.quantile(sorted, 0.99)),
                Bench.f(polls == 0 ? Double.NaN : sorted[polls - 1]), Bench.f(pollCpu.toNanos() / 1e6 / polls),
                Bench.f((pollCpu.toNanos() / 1e6 - idleShare) / polls));
        System.out.printf(Locale.ROOT, "%n(service CPU: %d ms over the polls; %d ms in %d s idle before them)%n",
                pollCpu.toMillis(), idleCpu.toMillis(), FTS_POLL_INTERVAL.toSeconds());
        System.out.printf(Locale.ROOT, "(polls answered from the live cache: %d; read from the database while it was live: %d)%n",
                cacheAfter[0] - cacheBefore[0], cacheAfter[1] - cacheBefore[1]);
    }

    /** The service's count of Tape REST polls answered from its live cache, and of those it missed. */
    private static long[] liveCacheCounts(String admin) throws IOException {
        JsonNode meters = new ObjectMapper().readTree(Bench.get(admin + "/metrics").body()).path("meters");
        return new long[] {meters.path("stagehand.tape-status-cache.hits").path("count").asLong(),
                meters.path("stagehand.tape-status-cache.misses").path("count").asLong()};
    }

    /** What was left to expand when a stage scenario ended, and how long it took. */
    private record Expansion(long paths, double seconds) {
    }

    /** Waits until every stored path list is expanded into its files' rows. */
    private static Expansion awaitExpanded(String databaseUrl) throws Exception {
        long started = System.nanoTime();
        long left = -1;
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(databaseUrl, "postgres", "");
             java.sql.Statement statement = connection.createStatement()) {
            while (true) {
                try (java.sql.ResultSet rows = statement.executeQuery("SELECT count(*), coalesce(sum(r.file_count), 0) "
                        + "FROM request_path_list l JOIN staging_request r ON r.request_id = l.request_id")) {
                    rows.next();
                    if (left < 0) {
                        left = rows.getLong(2);
                    }
                    if (rows.getLong(1) == 0) {
                        return new Expansion(left, (System.nanoTime() - started) / 1e9);
                    }
                }
                Thread.sleep(200);
            }
        }
    }

    /** The service process's CPU time (user + system, every thread), as the OS counts it. */
    private static Duration cpu(Process service) {
        return service.info().totalCpuDuration().orElseThrow(() -> new IllegalStateException("the OS gives no CPU time"));
    }

    private static String stage(String base, int first, int count) {
        StringBuilder body = new StringBuilder("{\"files\": [");
        for (int i = first; i < first + count; i++) {
            body.append(i == first ? "" : ", ").append("{\"path\": \"")
                    .append(String.format(Locale.ROOT, BenchmarkApplication.TapeNoOpResource.PATH_FORMAT, i % 1000, i))
                    .append("\"}");
        }
        Bench.Reply reply = Bench.post(base + "/api/v1/stage", body.append("]}").toString());
        if (reply.status() != 201) {
            throw new IllegalStateException("stage answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().get("requestId").asText();
    }

    private static Process startService(Path config, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        String options = System.getenv("BENCH_SERVER_JAVA_OPTS");
        if (options != null && !options.isBlank()) {
            command.addAll(Arrays.asList(options.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchmarkApplication.class.getName(),
                "server", config.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitUp(String base, Process service) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service stopped (exit " + service.exitValue() + "); see its log");
            }
            try {
                if (Bench.get(base + "/.well-known/wlcg-tape-rest-api").status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service did not start within 20 minutes");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A stage of 1,000 distinct random catalog paths per request. */
    private static String stageLua() {
        return String.join("\n",
                "local counter = 0",
                "function setup(thread) counter = counter + 1; thread:set('seed', counter) end",
                "function init(args) math.randomseed(seed * 7919 + os.time()) end",
                "wrk.method = 'POST'",
                "wrk.headers['Content-Type'] = 'application/json'",
                "request = function()",
                "  local files, seen, n = {}, {}, 0",
                "  while n < " + FILES_PER_STAGE + " do",
                "    local i = math.random(0, " + (CATALOG - 1) + ")",
                "    if not seen[i] then",
                "      seen[i] = true; n = n + 1",
                "      files[n] = string.format('{\"path\": \"" + BenchmarkApplication.TapeNoOpResource.PATH_FORMAT + "\"}', i % 1000, i)",
                "    end",
                "  end",
                "  return wrk.format(nil, nil, nil, '{\"files\": [' .. table.concat(files, ', ') .. ']}')",
                "end",
                "");
    }

    private static String pollLua(List<String> requests, String prefix, String suffix) {
        StringBuilder lua = new StringBuilder("local ids = {\n");
        requests.forEach(id -> lua.append("  '").append(id).append("',\n"));
        return lua.append("}\n")
                .append("request = function()\n")
                .append("  return wrk.format('GET', '").append(prefix).append("' .. ids[math.random(#ids)] .. '")
                .append(suffix).append("')\n")
                .append("end\n").toString();
    }
}
