package org.stagehand.work;

import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.area.StagingArea;

/**
 * Puts back in the queue the claims whose lease expired, and this instance's own claims that no
 * worker holds (left by its previous run, or by a batch whose outcome could not be recorded),
 * then deletes their temporary files: only once the claim is no longer anyone's, so a claim
 * renewed at the last moment keeps its file.
 */
final class AbandonedClaims {

    private static final Logger LOG = LoggerFactory.getLogger(AbandonedClaims.class);

    private final WorkDao dao;
    private final StagingArea area;
    private final String owner;
    private final Clock clock;
    private final ClaimsUnderWay underWay;

    AbandonedClaims(WorkDao dao, StagingArea area, String owner, Clock clock, ClaimsUnderWay underWay) {
        this.dao = dao;
        this.area = area;
        this.owner = owner;
        this.clock = clock;
        this.underWay = underWay;
    }

    /** @return how many claims were taken back */
    int takeBack() {
        List<ExpiredLease> takenBack = dao.takeBack(clock.instant(), owner, underWay::isLive);
        for (ExpiredLease lease : takenBack) {
            if (lease.stagingPath() == null) {
                continue;
            }
            try {
                area.discard(area.temporaryFile(new RelativePath(lease.stagingPath()), lease.leaseToken()));
            } catch (IllegalArgumentException e) {
                LOG.warn("claim on {} names an unusable staging path: {}", lease.fileId(), e.getMessage());
            }
        }
        if (!takenBack.isEmpty()) {
            LOG.info("took back {} abandoned claims", takenBack.size());
        }
        return takenBack.size();
    }
}
