package org.stagehand.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.CatalogEntryFixture.aCatalogEntry;
import static org.stagehand.testing.rows.StagedFileFixture.aStagedFile;
import static org.stagehand.testing.rows.Times.t0Plus;

import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.work.FileState;

/** The queries behind the {@code stagehand.*} database gauges. */
class GaugeDaoIT extends DaoTest {

    @Test
    void theGaugesCountWorkByStateAndSumTheBytesOfReadyCopies() {
        aStagedFile(aCatalogEntry().insert(jdbi)).insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).waitingForSpace().insert(jdbi);
        aStagedFile(aCatalogEntry().insert(jdbi)).claimedBy("me", "token", t0Plus(60)).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(7L).insert(jdbi)).withState(FileState.READY).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(null).insert(jdbi)).withState(FileState.READY).insert(jdbi);
        aStagedFile(aCatalogEntry().withBytes(5L).insert(jdbi)).withState(FileState.FAILED).insert(jdbi);

        StagehandGauges.GaugeDao dao = jdbi.onDemand(StagehandGauges.GaugeDao.class);

        assertThat(dao.queued()).isEqualTo(2);
        assertThat(dao.waitingForSpace()).isEqualTo(1);
        assertThat(dao.underWay()).isEqualTo(1);
        assertThat(dao.stagedBytes()).isEqualTo(7);
    }

    @Test
    void theGaugesOfAnEmptyQueueAreZero() {
        StagehandGauges.GaugeDao dao = jdbi.onDemand(StagehandGauges.GaugeDao.class);

        assertThat(dao.queued()).isZero();
        assertThat(dao.stagedBytes()).isZero();
    }
}
