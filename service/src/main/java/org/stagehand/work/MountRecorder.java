package org.stagehand.work;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.MountListener;

/**
 * Records the tape mounts the backend reports, as this instance's, and forgets those older than
 * {@link #RETENTION} at each new one (the console shows the last day's).
 */
public final class MountRecorder implements MountListener {

    /** How long a mount is kept: the console shows a day, a week leaves room to look back. */
    static final Duration RETENTION = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(MountRecorder.class);

    private final Jdbi jdbi;
    private final String instanceName;
    private final Clock clock;

    public MountRecorder(Jdbi jdbi, String instanceName, Clock clock) {
        this.jdbi = jdbi;
        this.instanceName = instanceName;
        this.clock = clock;
    }

    @Override
    public void mounted(String volume) {
        Instant now = clock.instant();
        try {
            jdbi.useTransaction(handle -> {
                TapeMountDao mounts = handle.attach(TapeMountDao.class);
                mounts.recordMount(volume, instanceName, now);
                mounts.pruneMounts(now.minus(RETENTION));
            });
        } catch (RuntimeException e) {
            // a statistic for operators: a session goes on without it
            LOG.warn("could not record the mount of volume {}: {}", volume, e.toString());
        }
    }
}
