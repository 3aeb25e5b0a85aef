package org.stagehand.lifecycle;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import io.dropwizard.util.DataSize;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;
import org.stagehand.backend.support.StagingRootGuard;
import org.stagehand.requests.StagingRequestDao;
import org.stagehand.work.SpaceGuard;
import org.stagehand.work.WorkDao;

/**
 * Keeps the staging area from filling up: evicts copies no request pins any more, least recently
 * requested first, and purges request records past their retention. A copy is only ever deleted
 * while its row is locked and after its pin was checked again under that lock, so a request being
 * stored for the file at the same moment either pins it first or queues it afresh.
 */
public final class StagingAreaCleaner implements SpaceGuard {

    private static final Logger LOG = LoggerFactory.getLogger(StagingAreaCleaner.class);
    private static final int PAGE = 500;

    private final Jdbi jdbi;
    private final StagingArea area;
    private final LifecycleConfiguration config;
    private final Clock clock;
    private final Consumer<List<UUID>> purged;

    /**
     * @param purged told of the requests just purged, after their transaction: answers this
     *     instance keeps in memory must go at once, not when the database's notification comes
     */
    public StagingAreaCleaner(Jdbi jdbi, StagingArea area, LifecycleConfiguration config, Clock clock,
                              Consumer<List<UUID>> purged) {
        this.jdbi = jdbi;
        this.area = area;
        this.config = config;
        this.clock = clock;
        this.purged = purged;
    }

    /**
     * What a clean-up did, or would do on a dry run.
     *
     * @param evictedPaths staging paths of the evicted copies
     * @param bytesFreed their catalog sizes, summed
     * @param requestsPurged request records deleted
     * @param dryRun whether nothing was actually deleted
     */
    public record CleanupReport(List<String> evictedPaths, long bytesFreed, int requestsPurged, boolean dryRun) {

        public String summary() {
            return (dryRun ? "would evict " : "evicted ") + evictedPaths.size() + " copies (" + bytesFreed
                    + " bytes) and " + (dryRun ? "would purge " : "purged ") + requestsPurged + " expired requests";
        }
    }

    /** Evicts every unpinned copy and purges requests past retention. */
    public CleanupReport cleanUp(boolean dryRun) {
        Instant now = clock.instant();
        Instant pinnedSince = now.minus(config.getPinLifetime().toJavaDuration());
        List<String> evicted = new ArrayList<>();
        long freed = 0;
        LifecycleDao reader = jdbi.onDemand(LifecycleDao.class);
        if (dryRun) {
            for (EvictionCandidate candidate : reader.evictionCandidates(pinnedSince, now, 10 * PAGE)) {
                evicted.add(candidate.stagingPath());
                freed += candidate.bytes();
            }
        } else {
            List<EvictionCandidate> page;
            do {
                page = reader.evictionCandidates(pinnedSince, now, PAGE);
                int before = evicted.size();
                for (EvictionCandidate candidate : page) {
                    if (evict(candidate, pinnedSince, now)) {
                        evicted.add(candidate.stagingPath());
                        freed += candidate.bytes();
                    }
                }
                if (evicted.size() == before) {
                    break; // everything left was pinned meanwhile
                }
            } while (page.size() == PAGE);
        }
        int purged = purgeRequests(now, dryRun);
        CleanupReport report = new CleanupReport(evicted, freed, purged, dryRun);
        if (!dryRun && (!evicted.isEmpty() || purged > 0)) {
            LOG.info("staging area clean-up: {}", report.summary());
        }
        return report;
    }

    private int purgeRequests(Instant now, boolean dryRun) {
        Instant cutoff = now.minus(config.getRequestRetention().toJavaDuration());
        Instant jdpCutoff = now.minus(LifecycleDao.JDP_ID_LIFETIME);
        LifecycleDao reader = jdbi.onDemand(LifecycleDao.class);
        if (dryRun) {
            return reader.expiredRequests(cutoff, jdpCutoff, 10 * PAGE).size();
        }
        int purged = 0;
        List<UUID> expired;
        do {
            expired = reader.expiredRequests(cutoff, jdpCutoff, PAGE);
            for (UUID requestId : expired) {
                jdbi.useTransaction(handle -> new StagingRequestDao(handle).deleteRequest(requestId));
                this.purged.accept(List.of(requestId));
                purged++;
            }
        } while (expired.size() == PAGE);
        return purged;
    }

    /** Deletes one copy if it is still unpinned; false when a request pinned it meanwhile. */
    private boolean evict(EvictionCandidate candidate, Instant pinnedSince, Instant now) {
        return jdbi.inTransaction(handle -> {
            LifecycleDao dao = handle.attach(LifecycleDao.class);
            if (dao.lockIfUnpinned(candidate.fileId(), pinnedSince, now).isEmpty()) {
                return false;
            }
            try {
                area.removeCopy(new RelativePath(candidate.stagingPath()));
            } catch (StagingRootGuard.OutsideRootException e) {
                // Its directory was replaced by a link out of the root: what is there is not ours to
                // delete, and our copy is gone from the staging area, so it is only forgotten.
                LOG.warn("not deleting {}: {}; forgetting the copy", candidate.stagingPath(), e.getMessage());
            } catch (IOException e) {
                LOG.warn("cannot evict {}: {}", candidate.stagingPath(), e.toString());
                return false;
            }
            handle.attach(WorkDao.class).forgetCopy(candidate.fileId());
            return true;
        });
    }

    @Override
    public long capacityBytes() {
        return config.getCapacity().map(DataSize::toBytes).orElse(Long.MAX_VALUE);
    }

    @Override
    public long freeBytes() {
        if (config.getCapacity().isEmpty()) {
            return Long.MAX_VALUE;
        }
        return config.getCapacity().get().toBytes() - jdbi.onDemand(LifecycleDao.class).bytesInUse();
    }

    @Override
    public boolean makeRoom(long bytes) {
        if (freeBytes() >= bytes) {
            return true;
        }
        Instant now = clock.instant();
        Instant pinnedSince = now.minus(config.getPinLifetime().toJavaDuration());
        for (EvictionCandidate candidate : jdbi.onDemand(LifecycleDao.class).evictionCandidates(pinnedSince, now, PAGE)) {
            if (evict(candidate, pinnedSince, now)) {
                LOG.info("evicted {} ({} bytes) to make room", candidate.stagingPath(), candidate.bytes());
                if (freeBytes() >= bytes) {
                    return true;
                }
            }
        }
        return freeBytes() >= bytes;
    }
}
