package org.stagehand.backend.posix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/** Copies files from a directory tree. Items of a batch are copied one after another. */
final class PosixBackend implements ArchiveBackend {

    private static final Logger LOG = LoggerFactory.getLogger(PosixBackend.class);

    private final Path root;
    private final boolean preserveModificationTime;
    private final int bufferBytes;

    /** @param root the archive root, already resolved to its real path */
    PosixBackend(Path root, boolean preserveModificationTime, int bufferBytes) {
        this.root = root;
        this.preserveModificationTime = preserveModificationTime;
        this.bufferBytes = bufferBytes;
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
            StagingOutcome outcome = copy(item);
            if (outcome == null) {
                throw new InterruptedException("copy of " + item.fileId() + " interrupted");
            }
            listener.report(item, outcome);
        }
    }

    /** Returns the outcome, or null when the copy was interrupted. */
    private StagingOutcome copy(StagingItem item) {
        Path source;
        try {
            source = resolveInsideRoot(item.archiveLocation());
        } catch (NoSuchFileException e) {
            return StagingOutcome.failed("not in the archive: " + item.archiveLocation());
        } catch (IllegalArgumentException e) {
            return StagingOutcome.failed(e.getMessage());
        } catch (IOException e) {
            return StagingOutcome.retry("cannot resolve " + item.archiveLocation() + ": " + e);
        }
        if (!Files.isRegularFile(source)) {
            return StagingOutcome.failed("not a regular file in the archive: " + item.archiveLocation());
        }
        try {
            Optional<Checksum> observed = transfer(source, item);
            if (preserveModificationTime) {
                Files.setLastModifiedTime(item.temporaryFile(), Files.getLastModifiedTime(source));
            }
            return new StagingOutcome.Fetched(observed);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (NoSuchFileException e) {
            return StagingOutcome.failed("not in the archive: " + item.archiveLocation());
        } catch (AccessDeniedException e) {
            return StagingOutcome.failed("permission denied: " + e.getFile());
        } catch (IOException e) {
            LOG.warn("copy of {} failed: {}", item.archiveLocation(), e.toString());
            return StagingOutcome.retry("copy of " + item.archiveLocation() + " failed: " + e);
        }
    }

    /**
     * Resolves an archive location below the root, refusing {@code ..} and symbolic links that
     * lead out of it.
     */
    Path resolveInsideRoot(String location) throws IOException {
        Path relative = Path.of(location);
        if (relative.isAbsolute()) {
            relative = Path.of(location.replaceFirst("^/+", ""));
        }
        Path candidate = root.resolve(relative).normalize();
        if (!candidate.startsWith(root)) {
            throw new IllegalArgumentException("archive location leaves the archive root: " + location);
        }
        Path real = candidate.toRealPath();
        if (!real.startsWith(root)) {
            throw new IllegalArgumentException("archive location links out of the archive root: " + location);
        }
        return real;
    }

    /**
     * Copies source to the item's temporary file. With a checksum to verify, the bytes are hashed
     * as they pass so the service need not read the copy again; otherwise the kernel copies
     * (copy_file_range/sendfile) without bringing the bytes into the JVM.
     */
    private Optional<Checksum> transfer(Path source, StagingItem item) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(item.temporaryFile(), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long size = in.size();
            if (item.expectedChecksum().isEmpty()) {
                long position = 0;
                while (position < size) {
                    long moved = in.transferTo(position, size - position, out);
                    if (moved <= 0) {
                        break; // the source shrank while we copied; the size check will say so
                    }
                    position += moved;
                }
                return Optional.empty();
            }
            String algorithm = item.expectedChecksum().get().algorithm();
            MessageDigest digest = Checksum.newDigest(algorithm);
            ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
            while (in.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
            return Optional.of(Checksum.of(algorithm, digest));
        }
    }

    @Override
    public BackendHealth checkHealth() {
        if (!Files.isDirectory(root)) {
            return BackendHealth.unhealthy("archive root " + root + " is missing or not a directory; check the mount");
        }
        if (!Files.isReadable(root)) {
            return BackendHealth.unhealthy("archive root " + root + " is not readable by the service's user");
        }
        return BackendHealth.healthy("archive root " + root + " is readable");
    }
}
