package org.stagehand.app;

import com.codahale.metrics.health.HealthCheck;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;

/** Reports the archive backend's own check. */
public final class BackendHealthCheck extends HealthCheck {

    private final ArchiveBackend backend;

    public BackendHealthCheck(ArchiveBackend backend) {
        this.backend = backend;
    }

    @Override
    protected Result check() {
        BackendHealth health = backend.checkHealth();
        return health.healthy() ? Result.healthy(health.message()) : Result.unhealthy(health.message());
    }
}
