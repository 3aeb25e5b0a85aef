package org.stagehand.work;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The one DAO of {@code tape_mount}: the tape mounts backends reported, kept for a week. */
public interface TapeMountDao {

    /** How often one volume was mounted in a span of time. */
    record VolumeMounts(String volume, long mounts) {
    }

    @SqlUpdate("""
            INSERT INTO tape_mount (volume, instance_name, mounted_at) VALUES (:volume, :instance, :at)""")
    void recordMount(@Bind("volume") String volume, @Bind("instance") String instanceName, @Bind("at") Instant at);

    /** Forgets the mounts before {@code before}; returns how many. */
    @SqlUpdate("""
            DELETE FROM tape_mount WHERE mounted_at < :before""")
    int pruneMounts(@Bind("before") Instant before);

    /** The volumes mounted at or after {@code since}, by every instance, with their mount counts, by volume. */
    @SqlQuery("""
            SELECT volume, COUNT(*) AS mounts FROM tape_mount WHERE mounted_at >= :since
            GROUP BY volume ORDER BY volume""")
    @RegisterConstructorMapper(VolumeMounts.class)
    List<VolumeMounts> mountsSince(@Bind("since") Instant since);
}
