package org.stagehand.backend.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.ArchiveFileCopier;

/**
 * Copies files from a directory tree. Items of a batch are copied one after another. Describes a
 * location with a stat, so files outside the catalog can be staged by path.
 */
final class PosixBackend implements ArchiveBackend, DescribesPaths {

    private final ArchiveFileCopier copier;

    PosixBackend(ArchiveFileCopier copier) {
        this.copier = copier;
    }

    @Override
    public void stage(StagingBatch batch, OutcomeListener listener) throws InterruptedException {
        for (StagingItem item : batch.items()) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("staging of " + batch + " interrupted");
            }
            if (batch.isCancelled(item)) {
                listener.report(item, StagingOutcome.cancelled());
                continue;
            }
            listener.report(item, copier.copy(item, () -> batch.isCancelled(item)));
        }
    }

    /** A regular file below the root (links followed only inside it); the archive is disk. */
    @Override
    public Optional<ArchivedFile> describe(String archiveLocation) throws IOException {
        Path file;
        try {
            file = copier.resolveInsideRoot(archiveLocation);
        } catch (NoSuchFileException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(new ArchivedFile(Files.size(file), Optional.empty(), Locality.DISK));
    }

    @Override
    public BackendHealth checkHealth() {
        Path root = copier.root();
        if (!Files.isDirectory(root)) {
            return BackendHealth.unhealthy("archive root " + root + " is missing or not a directory; check the mount");
        }
        if (!Files.isReadable(root)) {
            return BackendHealth.unhealthy("archive root " + root + " is not readable by the service's user");
        }
        return BackendHealth.healthy("archive root " + root + " is readable");
    }
}
