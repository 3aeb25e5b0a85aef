package org.stagehand.lifecycle;

import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the {@link StagingAreaCleaner} every {@code lifecycle.cleanupInterval}: the schedule, not the clean-up. */
public final class CleanupSchedule implements Managed {

    private static final Logger LOG = LoggerFactory.getLogger(CleanupSchedule.class);

    private final StagingAreaCleaner cleaner;
    private final long intervalMillis;
    private ScheduledExecutorService scheduler;

    public CleanupSchedule(StagingAreaCleaner cleaner, LifecycleConfiguration config) {
        this.cleaner = cleaner;
        this.intervalMillis = config.getCleanupInterval().toMilliseconds();
    }

    @Override
    public void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "stagehand-cleanup"));
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                cleaner.cleanUp(false);
            } catch (RuntimeException e) {
                LOG.error("staging area clean-up failed (will try again): {}", e.toString());
            }
        }, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }
}
