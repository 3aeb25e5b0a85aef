package org.stagehand.bench;

import io.dropwizard.testing.DropwizardTestSupport;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.stagehand.app.StagehandConfiguration;

/**
 * HTTP benchmark: {@code POST /dts/staging} of 10-ID requests and {@code GET} of a request's status,
 * against a no-op endpoint of the same application as the baseline, driven by {@code wrk} at a fixed
 * concurrency over loopback, on an embedded PostgreSQL with durable commits. Work is paused so
 * the figures are those of the API (copying would compete for the same CPUs); requests are stored
 * exactly as usual.
 *
 * <p>Usage: {@code HttpBenchmark [connections=16] [seconds=10] [rounds=3] [catalog=100000]}.
 */
public final class HttpBenchmark {



    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int catalogSize = args.length > 3 ? Integer.parseInt(args[3]) : 100_000;

        Path directory = Files.createTempDirectory("stagehand-bench-http");
        Path archive = Files.createDirectories(directory.resolve("archive"));
        Path catalog = directory.resolve("catalog.csv");
        StringBuilder csv = new StringBuilder("id,path,bytes,hash\n");
        for (int i = 0; i < catalogSize; i++) {
            csv.append(String.format(Locale.ROOT, "h%07d,http/%03d/%07d.bin,1000,\n", i, i % 1000, i));
        }
        Files.writeString(catalog, csv);

        try (EmbeddedPostgres postgres = Bench.postgres()) {
            String databaseUrl = Bench.database(postgres, "bench_http");
            Path config = Bench.config(directory, "http", databaseUrl,
                    directory.resolve("staging"), archive, catalog.toString());
            DropwizardTestSupport<StagehandConfiguration> app = Bench.start(config);
            try {
                Bench.pauseWork(app);
                String base = Bench.base(app);
                Random random = new Random(1);
                List<String> requests = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    requests.add(Bench.stage(base, randomIds(random, catalogSize)));
                }
                Path postScript = directory.resolve("post.lua");
                Files.writeString(postScript, postLua(catalogSize));
                Path getScript = directory.resolve("get.lua");
                Files.writeString(getScript, getLua(requests));

                Map<String, String[]> scenarios = new LinkedHashMap<>();
                scenarios.put("no-op GET", new String[] {base + "/bench/noop", getScript.toString()});
                scenarios.put("status GET", new String[] {base + "/dts/staging", getScript.toString()});
                scenarios.put("no-op POST", new String[] {base + "/bench/noop", postScript.toString()});
                scenarios.put("staging POST", new String[] {base + "/dts/staging", postScript.toString()});

                System.out.println("warming up (" + Math.max(3, seconds / 2) + " s per scenario)...");
                for (String[] scenario : scenarios.values()) {
                    Wrk.run(scenario[0], scenario[1], connections, Math.max(3, seconds / 2));
                }
                Bench.printPgStats(databaseUrl, "warm-up");
                Map<String, List<Wrk.Result>> results = new LinkedHashMap<>();
                for (int round = 1; round <= rounds; round++) {
                    for (Map.Entry<String, String[]> scenario : scenarios.entrySet()) {
                        Wrk.Result result = Wrk.run(scenario.getValue()[0], scenario.getValue()[1], connections, seconds);
                        results.computeIfAbsent(scenario.getKey(), key -> new ArrayList<>()).add(result);
                        Bench.printPgStats(databaseUrl, scenario.getKey());
                        System.out.printf(Locale.ROOT, "round %d  %-13s %9s req/s  p50 %7s ms  p99 %7s ms%s%n", round,
                                scenario.getKey(), Bench.f(result.rate()), Bench.f(result.p50()), Bench.f(result.p99()),
                                result.bad() > 0 || !result.errors().isBlank()
                                        ? "  NON-2XX " + result.bad() + " " + result.errors() : "");
                    }
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "## HTTP: %d connections, wrk -t2, %d s x %d rounds, catalog %d, loopback%n%n",
                        connections, seconds, rounds, catalogSize);
                System.out.println("| scenario | requests/s (mean of rounds) | p50 ms (median) | p99 ms (median) | ratio to no-op |");
                System.out.println("| --- | ---: | ---: | ---: | ---: |");
                for (String name : scenarios.keySet()) {
                    List<Wrk.Result> list = results.get(name);
                    double rate = list.stream().mapToDouble(Wrk.Result::rate).average().orElse(0);
                    String baseline = name.endsWith("GET") ? "no-op GET" : "no-op POST";
                    double baseRate = results.get(baseline).stream().mapToDouble(Wrk.Result::rate).average().orElse(1);
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, Bench.f(rate),
                            Bench.f(Wrk.median(list.stream().mapToDouble(Wrk.Result::p50).toArray())),
                            Bench.f(Wrk.median(list.stream().mapToDouble(Wrk.Result::p99).toArray())),
                            name.startsWith("no-op") ? "1 (baseline)" : String.format(Locale.ROOT, "%.2f", rate / baseRate));
                }
                long stored = Bench.get(base + "/dts/staging?id=" + requests.get(0)).status();
                System.out.println("\n(status of a stored request still answers: HTTP " + stored + ")");
            } finally {
                app.after();
            }
        } finally {
            Bench.deleteTree(directory);
        }
    }

    private static List<String> randomIds(Random random, int catalogSize) {
        List<String> ids = new ArrayList<>();
        while (ids.size() < 10) {
            String id = String.format(Locale.ROOT, "h%07d", random.nextInt(catalogSize));
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private static String postLua(int catalogSize) {
        return String.join("\n",
                "local counter = 0",
                "function setup(thread) counter = counter + 1; thread:set('seed', counter) end",
                "function init(args) math.randomseed(seed * 7919 + os.time()) end",
                "wrk.method = 'POST'",
                "wrk.headers['Content-Type'] = 'application/json'",
                "request = function()",
                "  local ids = {}",
                "  for i = 1, 10 do ids[i] = string.format('\"h%07d\"', math.random(0, " + (catalogSize - 1) + ")) end",
                "  return wrk.format(nil, nil, nil, '{\"ids\": [' .. table.concat(ids, ', ') .. ']}')",
                "end",
                "");
    }

    private static String getLua(List<String> requests) {
        StringBuilder lua = new StringBuilder("local ids = {\n");
        for (String request : requests) {
            lua.append("  '").append(request).append("',\n");
        }
        lua.append("}\n")
                .append("request = function()\n")
                .append("  return wrk.format('GET', wrk.path .. '?id=' .. ids[math.random(#ids)])\n")
                .append("end\n");
        return lua.toString();
    }
}
