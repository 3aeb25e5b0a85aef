package org.stagehand.testing.rows;

import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** An {@code instance_epoch} row (one run of an instance): by default started at {@link Times#T0}, alive a minute. */
public final class InstanceEpochFixture {

    private final String epoch;
    private String instanceName = "instance-a";
    private Instant startedAt = Times.T0;
    private Instant aliveUntil = Times.t0Plus(60);

    private InstanceEpochFixture(String epoch) {
        this.epoch = epoch;
    }

    public static InstanceEpochFixture anInstanceEpoch(String epoch) {
        return new InstanceEpochFixture(epoch);
    }

    public InstanceEpochFixture withInstanceName(String instanceName) {
        this.instanceName = instanceName;
        return this;
    }

    public InstanceEpochFixture withStartedAt(Instant startedAt) {
        this.startedAt = startedAt;
        return this;
    }

    public InstanceEpochFixture withAliveUntil(Instant aliveUntil) {
        this.aliveUntil = aliveUntil;
        return this;
    }

    public InstanceEpochFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO instance_epoch (epoch, instance_name, started_at, alive_until)
                        VALUES (:epoch, :name, :startedAt, :aliveUntil)""")
                .bind("epoch", epoch)
                .bind("name", instanceName)
                .bind("startedAt", startedAt)
                .bind("aliveUntil", aliveUntil)
                .execute());
        return this;
    }

    public String epoch() {
        return epoch;
    }
}
