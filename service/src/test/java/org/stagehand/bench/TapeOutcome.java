package org.stagehand.bench;

import java.util.Arrays;

/**
 * What one strategy did with the trace, in simulated seconds: drive time (mount, unmount, locate
 * and read summed over every drive), mounts, makespan (last file read, from the first arrival's
 * clock zero) and each request's completion time (ready minus arrival).
 */
record TapeOutcome(String strategy, double driveSeconds, int mounts, double makespan, double[] completions) {

    double meanCompletion() {
        return Arrays.stream(completions).average().orElse(Double.NaN);
    }

    double p95Completion() {
        double[] sorted = completions.clone();
        Arrays.sort(sorted);
        return Bench.quantile(sorted, 0.95);
    }
}
