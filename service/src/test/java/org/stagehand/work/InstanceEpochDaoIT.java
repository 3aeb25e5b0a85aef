package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.InstanceEpochFixture.anInstanceEpoch;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.testing.rows.Rows;

/** The {@code instance_epoch} table: runs of instances, written by {@link InstanceEpochDao}, kept alive by the lease thread. */
class InstanceEpochDaoIT extends DaoTest {

    private InstanceEpochDao dao() {
        return jdbi.onDemand(InstanceEpochDao.class);
    }

    @Test
    void aStartedRunIsAliveUntilItsFirstLeaseRunsOut() {
        dao().startEpoch("tnew00000001", "a", T0, t0Plus(120));

        assertThat(dao().epochsAliveUntil()).containsOnly(Map.entry("tnew00000001", t0Plus(120)));
    }

    @Test
    void aRestartEndsTheEarlierRunsOfItsNameOnlyAndAStopEndsItsOwn() {
        anInstanceEpoch("earlier").withInstanceName("a").withAliveUntil(t0Plus(60)).insert(jdbi);
        anInstanceEpoch("peer").withInstanceName("b").withAliveUntil(t0Plus(60)).insert(jdbi);
        anInstanceEpoch("long-over").withInstanceName("a").withAliveUntil(T0.minusSeconds(60)).insert(jdbi);
        dao().startEpoch("current", "a", t0Plus(10), t0Plus(130));

        assertThat(dao().endEpochs("a", "current", false, t0Plus(10))).isEqualTo(1);
        assertThat(dao().epochsAliveUntil()).containsOnly(Map.entry("earlier", t0Plus(10)), Map.entry("peer", t0Plus(60)),
                Map.entry("long-over", T0.minusSeconds(60)), Map.entry("current", t0Plus(130)));

        assertThat(dao().endEpochs("a", "current", true, t0Plus(20))).isEqualTo(1);
        assertThat(dao().epochsAliveUntil()).containsEntry("current", t0Plus(20)).containsEntry("earlier", t0Plus(10));
    }

    @Test
    void theLeaseThreadKeepsItsRunAliveAndLearnsWhenTheRunWasForgotten() {
        anInstanceEpoch("mine").withAliveUntil(t0Plus(60)).insert(jdbi);

        assertThat(dao().keepEpoch("mine", t0Plus(180))).isEqualTo(1);
        assertThat(dao().keepEpoch("unknown", t0Plus(180))).isZero();
        assertThat(dao().epochsAliveUntil()).containsOnly(Map.entry("mine", t0Plus(180)));
    }

    @Test
    void pruningForgetsOnlyTimedRunsThatEndedBeforeTheBound() {
        Instant now = t0Plus(30 * 86_400);
        Duration retention = Duration.ofDays(7);
        String longOver = Epochs.of(T0, new java.util.Random(1));
        String recentlyOver = Epochs.of(now.minus(Duration.ofDays(2)), new java.util.Random(2));
        String startedLongAgoStillAlive = Epochs.of(T0, new java.util.Random(3));
        anInstanceEpoch(longOver).withStartedAt(T0).withAliveUntil(t0Plus(3600)).insert(jdbi);
        anInstanceEpoch(recentlyOver).withStartedAt(now.minus(Duration.ofDays(2)))
                .withAliveUntil(now.minus(Duration.ofDays(1))).insert(jdbi);
        anInstanceEpoch(startedLongAgoStillAlive).withStartedAt(T0).withAliveUntil(now.plusSeconds(120)).insert(jdbi);
        anInstanceEpoch("0123456789ab").withStartedAt(T0).withAliveUntil(t0Plus(3600)).insert(jdbi);

        assertThat(dao().pruneEpochs(now.minus(retention))).isEqualTo(1);

        assertThat(Rows.column(jdbi, "instance_epoch", "epoch")).containsExactlyInAnyOrder(recentlyOver,
                startedLongAgoStillAlive, "0123456789ab");
        assertThat(Epochs.over(dao().epochsAliveUntil(), now, now.minus(retention)))
                .accepts(longOver, recentlyOver, "0123456789ab")
                .rejects(startedLongAgoStillAlive);
    }
}
