package org.stagehand.area;

import com.codahale.metrics.health.HealthCheck;
import java.nio.file.Files;

/** The staging area exists and the service can write to it. */
public final class StagingAreaHealthCheck extends HealthCheck {

    private final StagingArea area;

    public StagingAreaHealthCheck(StagingArea area) {
        this.area = area;
    }

    @Override
    protected Result check() throws Exception {
        if (!Files.isDirectory(area.root())) {
            return Result.unhealthy("staging root " + area.root() + " is missing; check the mount");
        }
        if (!Files.isWritable(area.root())) {
            return Result.unhealthy("staging root " + area.root() + " is not writable by the service's user");
        }
        long free = Files.getFileStore(area.root()).getUsableSpace();
        return Result.healthy("staging root " + area.root() + " is writable, " + free + " bytes free");
    }
}
