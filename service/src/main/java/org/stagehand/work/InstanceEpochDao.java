package org.stagehand.work;

import java.time.Instant;
import java.util.Map;
import org.jdbi.v3.sqlobject.config.KeyColumn;
import org.jdbi.v3.sqlobject.config.ValueColumn;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The one writer of {@code instance_epoch}: the runs of instances. Each run's epoch begins every
 * lease token it makes, so a claim whose run is known to be over can be taken back at once.
 */
public interface InstanceEpochDao {

    /** Records the start of a run of an instance: its epoch begins each lease token it makes. */
    @SqlUpdate("""
            INSERT INTO instance_epoch (epoch, instance_name, started_at, alive_until)
            VALUES (:epoch, :name, :now, :aliveUntil)""")
    void startEpoch(@Bind("epoch") String epoch, @Bind("name") String instanceName, @Bind("now") Instant now,
                    @Bind("aliveUntil") Instant aliveUntil);

    /** Ends the earlier runs of an instance name (a restarted instance succeeds them), or this run at a stop. */
    @SqlUpdate("""
            UPDATE instance_epoch SET alive_until = :now
            WHERE instance_name = :name AND (epoch <> :epoch OR :includingThis) AND alive_until > :now""")
    int endEpochs(@Bind("name") String instanceName, @Bind("epoch") String epoch,
                  @Bind("includingThis") boolean includingThis, @Bind("now") Instant now);

    /** Keeps this run's epoch alive, as long as its leases; 0 when a later run of its name ended it. */
    @SqlUpdate("""
            UPDATE instance_epoch SET alive_until = :until WHERE epoch = :epoch""")
    int keepEpoch(@Bind("epoch") String epoch, @Bind("until") Instant until);

    /** Every recorded epoch with the time its run ended or its lease thread last kept it alive until. */
    @SqlQuery("""
            SELECT epoch, alive_until FROM instance_epoch""")
    @KeyColumn("epoch")
    @ValueColumn("alive_until")
    Map<String, Instant> epochsAliveUntil();

    /**
     * Forgets the runs that ended before {@code endedBefore}, only those of timed epochs (starting
     * with {@code t}): those still count as ended once forgotten ({@link Epochs#over}), an older
     * epoch would not.
     */
    @SqlUpdate("""
            DELETE FROM instance_epoch WHERE alive_until < :endedBefore AND epoch LIKE 't%'""")
    int pruneEpochs(@Bind("endedBefore") Instant endedBefore);
}
