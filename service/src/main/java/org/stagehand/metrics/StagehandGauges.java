package org.stagehand.metrics;

import com.codahale.metrics.CachedGauge;
import com.codahale.metrics.MetricRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.stagehand.work.WorkDispatcher;

/**
 * Gauges read from the database, shared by all instances: the queue, files waiting for space and
 * the bytes the staging area holds. Each is read at most every five seconds, however often scraped.
 */
public final class StagehandGauges {

    /** The queries behind the gauges. */
    public interface GaugeDao {
        @SqlQuery("SELECT count(*) FROM staged_file WHERE state = 'PENDING'")
        long queued();

        @SqlQuery("SELECT count(*) FROM staged_file WHERE state = 'ACTIVE'")
        long underWay();

        @SqlQuery("SELECT count(*) FROM staged_file WHERE state = 'PENDING' AND waiting_for_space")
        long waitingForSpace();

        @SqlQuery("SELECT coalesce(sum(c.bytes), 0) FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id"
                + " WHERE s.state = 'READY'")
        long stagedBytes();
    }

    private StagehandGauges() {
    }

    /** Registers the gauges under {@code stagehand.*}. */
    public static void register(MetricRegistry registry, Jdbi jdbi, WorkDispatcher dispatcher) {
        GaugeDao dao = jdbi.onDemand(GaugeDao.class);
        cached(registry, "stagehand.work.queue-depth", dao::queued);
        cached(registry, "stagehand.work.files-under-way", dao::underWay);
        cached(registry, "stagehand.work.files-waiting-for-space", dao::waitingForSpace);
        cached(registry, "stagehand.staging-area.bytes-staged", dao::stagedBytes);
        registry.gauge("stagehand.work.paused", () -> () -> dispatcher.isPaused() ? 1 : 0);
        registry.gauge("stagehand.work.files-awaiting-promotion", () -> dispatcher::filesAwaitingPromotion);
    }

    private static void cached(MetricRegistry registry, String name, Supplier<Long> query) {
        registry.register(name, new CachedGauge<Long>(5, TimeUnit.SECONDS) {
            @Override
            protected Long loadValue() {
                return query.get();
            }
        });
    }
}
