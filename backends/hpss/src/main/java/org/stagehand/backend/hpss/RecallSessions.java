package org.stagehand.backend.hpss;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.DaemonThreads;

/**
 * Runs each {@link VolumeRecall} the planner starts as one {@code hsi} session on a thread of its
 * own, and tells the planner when it has ended; a file the session left unfinished is retried.
 */
final class RecallSessions {

    private static final Logger LOG = LoggerFactory.getLogger(RecallSessions.class);

    private final RecallPlanner planner;
    private final Hsi hsi;
    private final HpssSettings settings;
    private final HsiHealth health;
    private final Counter recalls;
    private final ExecutorService threads;

    RecallSessions(RecallPlanner planner, Hsi hsi, HpssSettings settings, HsiHealth health,
            MetricRegistry metrics, String threadPrefix) {
        this.planner = planner;
        this.hsi = hsi;
        this.settings = settings;
        this.health = health;
        this.recalls = metrics.counter("hpss.recalls");
        this.threads = Executors.newCachedThreadPool(new DaemonThreads(threadPrefix + "-hpss-session"));
    }

    /** Starts the recall's session now. */
    void start(VolumeRecall recall) {
        recalls.inc();
        threads.execute(() -> run(recall));
    }

    private void run(VolumeRecall recall) {
        try {
            health.record(recall.run(planner, hsi, settings));
        } catch (InterruptedException e) {
            LOG.info("{} interrupted: the backend is closing", recall);
        } catch (RuntimeException e) {
            LOG.error("{} failed", recall, e);
            health.record(recall + " failed: " + e);
        } finally {
            boolean closing = planner.recallEnded(recall);
            if (!closing) {
                for (PlannedFile file : recall.files) {
                    if (file.state != PlannedFile.State.DONE && file.recall == recall) {
                        planner.finish(file, StagingOutcome.retry("the recall from " + recall.label() + " ended unexpectedly"));
                    }
                }
            }
        }
    }

    /** Interrupts every session, which ends its hsi process, and waits up to 10 s for them. */
    void close() throws InterruptedException {
        threads.shutdownNow();
        if (!threads.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("hsi sessions still running after 10 s");
        }
    }
}
