package org.stagehand.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stagehand.testing.rows.Times.T0;
import static org.stagehand.testing.rows.Times.t0Plus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stagehand.testing.DaoTest;
import org.stagehand.work.TapeMountDao.VolumeMounts;

/** The {@code tape_mount} table: mounts the backend reported, written by {@link MountRecorder} through {@link TapeMountDao}. */
class TapeMountDaoIT extends DaoTest {

    private TapeMountDao dao() {
        return jdbi.onDemand(TapeMountDao.class);
    }

    private List<String> rows() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                SELECT volume, instance_name, mounted_at FROM tape_mount ORDER BY mounted_at, volume""")
                .map((rs, ctx) -> rs.getString("volume") + " " + rs.getString("instance_name") + " "
                        + rs.getTimestamp("mounted_at").toInstant())
                .list());
    }

    @Test
    void mountsAreCountedPerVolumeOverEveryInstanceFromTheBoundOn() {
        dao().recordMount("CV0002", "a", T0.minusSeconds(1));
        dao().recordMount("CV0002", "a", T0);
        dao().recordMount("CV0001", "b", t0Plus(10));
        dao().recordMount("CV0002", "b", t0Plus(20));
        dao().recordMount("CV0001", "a", t0Plus(30));

        assertThat(dao().mountsSince(T0)).containsExactly(new VolumeMounts("CV0001", 2), new VolumeMounts("CV0002", 2));
        assertThat(dao().mountsSince(t0Plus(31))).isEmpty();
    }

    @Test
    void theRecorderStampsItsInstanceAndTimeAndForgetsMountsOlderThanAWeek() {
        Instant now = t0Plus(30 * 86_400);
        dao().recordMount("OLD001", "a", now.minus(MountRecorder.RETENTION).minusSeconds(1));
        dao().recordMount("KEPT01", "a", now.minus(MountRecorder.RETENTION));
        MountRecorder recorder = new MountRecorder(jdbi, "host-b", Clock.fixed(now, ZoneOffset.UTC));

        recorder.mounted("CV0001");

        assertThat(rows()).containsExactly("KEPT01 a " + now.minus(Duration.ofDays(7)), "CV0001 host-b " + now);
    }

    @Test
    void aMountTheDatabaseRefusesIsLoggedAndTheSessionGoesOn() {
        MountRecorder recorder = new MountRecorder(jdbi, "host-a", Clock.fixed(T0, ZoneOffset.UTC));

        recorder.mounted("V".repeat(65)); // longer than any volume label the column holds

        assertThat(rows()).isEmpty();
        recorder.mounted("CV0001");
        assertThat(rows()).containsExactly("CV0001 host-a " + T0);
    }
}
