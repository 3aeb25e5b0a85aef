package org.stagehand.area;

import com.codahale.metrics.health.HealthCheck;
import java.nio.file.Files;

/** The staging area exists, the service can write to it, and it has the configured free space. */
public final class StagingAreaHealthCheck extends HealthCheck {

    private final StagingArea area;
    private final long minFreeBytes;

    public StagingAreaHealthCheck(StagingArea area, long minFreeBytes) {
        this.area = area;
        this.minFreeBytes = minFreeBytes;
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
        if (free < minFreeBytes) {
            return Result.unhealthy("staging root " + area.root() + " has " + free + " bytes free, below staging.minFreeSpace ("
                    + minFreeBytes + "); evict copies (POST /tasks/evict) or add space");
        }
        return Result.healthy("staging root " + area.root() + " is writable, " + free + " bytes free");
    }
}
