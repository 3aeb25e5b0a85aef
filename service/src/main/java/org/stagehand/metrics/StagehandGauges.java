package org.stagehand.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.db.DefineStates;
import org.stagehand.work.FileState;
import org.stagehand.work.WorkDispatcher;

/**
 * Gauges read from the database, shared by all instances: the queue, files waiting for space and
 * the bytes the staging area holds, read together at most every five seconds however often
 * scraped. While the database cannot be read they keep their last known values (none before the
 * first read), {@code stagehand.database.up} says 0, and one warning is logged per outage: a
 * scrape never fails for it.
 */
public final class StagehandGauges {

    private static final Logger LOG = LoggerFactory.getLogger(StagehandGauges.class);
    private static final Duration REFRESH = Duration.ofSeconds(5);

    /**
     * The queries behind the gauges: reads of {@code staged_file}, which {@code WorkDao} owns, and of
     * the path lists waiting for their expansion.
     */
    @DefineStates(FileState.class)
    public interface GaugeDao {
        @SqlQuery("""
                SELECT count(*) FROM staged_file WHERE state = <FileState.PENDING>""")
        long queued();

        @SqlQuery("""
                SELECT count(*) FROM staged_file WHERE state = <FileState.ACTIVE>""")
        long underWay();

        @SqlQuery("""
                SELECT count(*) FROM staged_file WHERE state = <FileState.PENDING> AND waiting_for_space""")
        long waitingForSpace();

        @SqlQuery("""
                SELECT coalesce(sum(c.bytes), 0) FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
                WHERE s.state = <FileState.READY>""")
        long stagedBytes();

        /** Paths of accepted stage requests not expanded into their files yet (their lists count their paths). */
        @SqlQuery("""
                SELECT coalesce(sum(r.file_count), 0) FROM request_path_list l
                JOIN staging_request r ON r.request_id = l.request_id""")
        long pathsToExpand();
    }

    /** One reading of the database gauges. */
    private record Reading(long queued, long underWay, long waitingForSpace, long stagedBytes, long pathsToExpand) {
    }

    private final GaugeDao dao;
    private final Clock clock;
    private Instant readAt = Instant.MIN;
    private Reading lastKnown;
    private boolean up = true;

    private StagehandGauges(GaugeDao dao, Clock clock) {
        this.dao = dao;
        this.clock = clock;
    }

    /** Registers the gauges under {@code stagehand.*}. */
    public static void register(MetricRegistry registry, Jdbi jdbi, WorkDispatcher dispatcher) {
        StagehandGauges gauges = new StagehandGauges(jdbi.onDemand(GaugeDao.class), Clock.systemUTC());
        gauges.fromDatabase(registry, "stagehand.work.queue-depth", Reading::queued);
        gauges.fromDatabase(registry, "stagehand.work.files-under-way", Reading::underWay);
        gauges.fromDatabase(registry, "stagehand.work.files-waiting-for-space", Reading::waitingForSpace);
        gauges.fromDatabase(registry, "stagehand.staging-area.bytes-staged", Reading::stagedBytes);
        gauges.fromDatabase(registry, "stagehand.requests.paths-to-expand", Reading::pathsToExpand);
        registry.gauge("stagehand.database.up", () -> () -> gauges.databaseUp() ? 1 : 0);
        registry.gauge("stagehand.work.paused", () -> () -> dispatcher.isPaused() ? 1 : 0);
        registry.gauge("stagehand.work.files-awaiting-promotion", () -> dispatcher::filesAwaitingPromotion);
    }

    private void fromDatabase(MetricRegistry registry, String name, ToLongFunction<Reading> value) {
        registry.register(name, (Gauge<Long>) () -> {
            Reading reading = current();
            return reading == null ? null : value.applyAsLong(reading);
        });
    }

    private synchronized boolean databaseUp() {
        current();
        return up;
    }

    /** The last reading, refreshed when older than {@link #REFRESH}; null when none ever succeeded. */
    private synchronized Reading current() {
        Instant now = clock.instant();
        if (Duration.between(readAt, now).compareTo(REFRESH) < 0) {
            return lastKnown;
        }
        readAt = now;
        try {
            lastKnown = new Reading(dao.queued(), dao.underWay(), dao.waitingForSpace(), dao.stagedBytes(),
                    dao.pathsToExpand());
            if (!up) {
                LOG.info("database gauges can be read again");
            }
            up = true;
        } catch (RuntimeException e) {
            if (up) {
                LOG.warn("cannot read the database gauges (showing their last known values until it can): {}",
                        e.toString());
            }
            up = false;
        }
        return lastKnown;
    }
}
