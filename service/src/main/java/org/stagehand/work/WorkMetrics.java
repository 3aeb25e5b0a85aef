package org.stagehand.work;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;

/** The work's metrics, on the admin port under {@code stagehand.work.*}. */
final class WorkMetrics {

    private final Meter filesStaged;
    private final Meter bytesStaged;
    private final MetricRegistry registry;
    private final Meter filesRetried;
    private final Counter batchesRunning;
    private final Timer batches;

    WorkMetrics(MetricRegistry registry) {
        filesStaged = registry.meter("stagehand.work.files-staged");
        bytesStaged = registry.meter("stagehand.work.bytes-staged");
        this.registry = registry;
        registry.meter("stagehand.work.files-failed");
        filesRetried = registry.meter("stagehand.work.files-retried");
        batchesRunning = registry.counter("stagehand.work.batches-running");
        batches = registry.timer("stagehand.work.batches");
    }

    void fileStaged(long bytes) {
        filesStaged.mark();
        bytesStaged.mark(bytes);
    }

    /**
     * Counts a permanent failure, in total and by reason: {@code archive} (the backend refused the
     * file), {@code verification} (size or checksum), {@code retries} (transient failures ran out),
     * {@code staging-area} (no place could be made for it).
     */
    void fileFailed(String reason) {
        registry.meter("stagehand.work.files-failed").mark();
        registry.meter("stagehand.work.files-failed." + reason).mark();
    }

    void fileRetried() {
        filesRetried.mark();
    }

    Timer.Context batchStarted() {
        batchesRunning.inc();
        return batches.time();
    }

    void batchEnded(Timer.Context timing) {
        timing.stop();
        batchesRunning.dec();
    }
}
