package org.stagehand.work;

import com.codahale.metrics.MetricRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.stagehand.backend.LocatesOnTape;

/**
 * A {@link VolumeScheduler} over the real statements for the DAO tests: a backend with one drive
 * that locates nothing (the tests put the files' places in place), and a staging area without a
 * capacity limit.
 */
final class OneDriveScheduler {

    /** One drive, and no files left to locate. */
    static final LocatesOnTape ONE_DRIVE = new LocatesOnTape() {
        @Override
        public Map<String, TapePlace> locate(Collection<String> archiveLocations) {
            return Map.of();
        }

        @Override
        public int maxSessions() {
            return 1;
        }
    };

    /** No capacity limit. */
    static final SpaceGuard UNLIMITED = new SpaceGuard() {
        @Override
        public long freeBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public long capacityBytes() {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean makeRoom(long bytes) {
            return true;
        }
    };

    private OneDriveScheduler() {
    }

    /** A scheduler claiming for {@code owner} with leases of {@code lease}. */
    static VolumeScheduler of(WorkDao dao, TapeConfiguration config, String owner, Clock clock, Duration lease) {
        WorkClaimer claimer = new WorkClaimer(dao, UNLIMITED, owner, lease, clock, new WorkMetrics(new MetricRegistry()));
        return new VolumeScheduler(dao, ONE_DRIVE, claimer, config, owner, clock, () -> { });
    }
}
