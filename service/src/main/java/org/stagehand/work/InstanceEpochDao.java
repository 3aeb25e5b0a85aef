package org.stagehand.work;

import java.time.Instant;
import java.util.Set;
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

    /** The epochs of runs known to be over: ended, or not kept alive by their lease thread. */
    @SqlQuery("""
            SELECT epoch FROM instance_epoch WHERE alive_until < :now""")
    Set<String> endedEpochs(@Bind("now") Instant now);
}
