package org.stagehand.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs {@code wrk -t2 --latency} with a Lua script and reads its summary: the benchmarks' one load generator. */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern ERRORS = Pattern.compile("Socket errors:(.*)");

    /** One run: requests/s, latency percentiles in ms, non-2xx answers, wrk's socket-error line (blank if none). */
    record Result(double rate, double p50, double p99, long bad, String errors) {
    }

    private Wrk() {
    }

    /** @param extraArgs further wrk options before the script, e.g. {@code --timeout 60s} */
    static Result run(String url, String script, int connections, int seconds, String... extraArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency"));
        command.addAll(List.of(extraArgs));
        command.addAll(List.of("-s", script, url));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        Matcher rate = RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("no rate in wrk's output:\n" + output);
        }
        Matcher bad = NON_2XX.matcher(output);
        Matcher errors = ERRORS.matcher(output);
        return new Result(Double.parseDouble(rate.group(1)), latency(output, "50%"), latency(output, "99%"),
                bad.find() ? Long.parseLong(bad.group(1)) : 0, errors.find() ? errors.group(1).trim() : "");
    }

    /** A percentile from wrk's latency distribution, in milliseconds. */
    private static double latency(String output, String percentile) {
        Matcher matcher = Pattern.compile("^\\s+" + Pattern.quote(percentile) + "\\s+([0-9.]+)(us|ms|s)\\s*$",
                Pattern.MULTILINE).matcher(output);
        if (!matcher.find()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
