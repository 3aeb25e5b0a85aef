package org.stagehand.backend.support;

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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;

/**
 * Copies one file of a directory-tree archive into a staging item's temporary file: resolves the
 * item's archive location strictly inside the archive root, copies the bytes (hashing them on the
 * way when the catalog has a checksum) and carries the modification time over.
 *
 * <p>The copy of the POSIX backend and of backends whose archive is a file system that first needs
 * the file brought online (the HSM backend). Instances are immutable and thread-safe.
 */
public final class ArchiveFileCopier {

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveFileCopier.class);

    private final Path root;
    private final boolean preserveModificationTime;
    private final int bufferBytes;

    /**
     * @param root the archive root, already resolved to its real path
     * @param preserveModificationTime whether the copy gets the archive file's modification time
     * @param bufferBytes the buffer size used while hashing
     */
    public ArchiveFileCopier(Path root, boolean preserveModificationTime, int bufferBytes) {
        this.root = Objects.requireNonNull(root, "root");
        this.preserveModificationTime = preserveModificationTime;
        this.bufferBytes = bufferBytes;
    }

    /** The archive root, a real path. */
    public Path root() {
        return root;
    }

    /**
     * Copies the item's archive file into its temporary file, stopping between chunks once
     * {@code cancelled} says so (the service cancels an item whose claim it lost: it must stop at
     * once, not at the end of a large file).
     *
     * @return {@code fetched} (with the observed checksum when one was expected), {@code failed}
     *     when the archive file is missing, not a regular file, outside the root or unreadable,
     *     {@code cancelled} when cancelled during the copy, {@code retry} for other I/O errors
     *     (including a temporary file or directory that vanished)
     * @throws InterruptedException when the thread was interrupted during the copy
     */
    public StagingOutcome copy(StagingItem item, BooleanSupplier cancelled) throws InterruptedException {
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
            Optional<Optional<Checksum>> copied = transfer(source, item, cancelled);
            if (copied.isEmpty()) {
                return StagingOutcome.cancelled();
            }
            Optional<Checksum> observed = copied.get();
            if (preserveModificationTime) {
                Files.setLastModifiedTime(item.temporaryFile(), Files.getLastModifiedTime(source));
            }
            return new StagingOutcome.Fetched(observed);
        } catch (ClosedByInterruptException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedException("copy of " + item.fileId() + " interrupted");
        } catch (NoSuchFileException e) {
            // Only the archive file missing is "not in the archive"; the temporary file or its
            // directory vanishing (removed under the writer) is worth another try.
            if (source.toString().equals(e.getFile())) {
                return StagingOutcome.failed("not in the archive: " + item.archiveLocation());
            }
            LOG.warn("copy of {} failed, its temporary file vanished: {}", item.archiveLocation(), e.toString());
            return StagingOutcome.retry("copy of " + item.archiveLocation() + " failed: its temporary file vanished");
        } catch (AccessDeniedException e) {
            return StagingOutcome.failed("permission denied: " + e.getFile());
        } catch (IOException e) {
            LOG.warn("copy of {} failed: {}", item.archiveLocation(), e.toString());
            return StagingOutcome.retry("copy of " + item.archiveLocation() + " failed: " + e);
        }
    }

    /**
     * Resolves an archive location below the root, refusing {@code ..} and symbolic links that
     * lead out of it. A leading {@code /} is taken as relative to the root.
     *
     * @return the real path of the location
     * @throws NoSuchFileException when nothing exists there
     * @throws IllegalArgumentException when the location leaves the root; the message says so
     * @throws IOException when the location cannot be resolved for another reason
     */
    public Path resolveInsideRoot(String location) throws IOException {
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
     *
     * @return the observed checksum, if one was computed; empty when cancelled during the copy
     */
    private Optional<Optional<Checksum>> transfer(Path source, StagingItem item, BooleanSupplier cancelled)
            throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(item.temporaryFile(), StandardOpenOption.CREATE,
                     StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
             WriteBehind writeBehind = new WriteBehind(out)) {
            long size = in.size();
            if (item.expectedChecksum().isEmpty()) {
                long position = 0;
                while (position < size) {
                    if (cancelled.getAsBoolean()) {
                        return Optional.empty();
                    }
                    long moved = in.transferTo(position, Math.min(CHUNK_BYTES, size - position), out);
                    if (moved <= 0) {
                        break; // the source shrank while we copied; the size check will say so
                    }
                    position += moved;
                    writeBehind.written(position);
                }
                return Optional.of(Optional.empty());
            }
            String algorithm = item.expectedChecksum().get().algorithm();
            MessageDigest digest = Checksum.newDigest(algorithm);
            ByteBuffer buffer = ByteBuffer.allocateDirect(bufferBytes);
            long position = 0;
            while (in.read(buffer) >= 0) {
                if (cancelled.getAsBoolean()) {
                    return Optional.empty();
                }
                buffer.flip();
                digest.update(buffer.duplicate());
                while (buffer.hasRemaining()) {
                    position += out.write(buffer);
                }
                buffer.clear();
                writeBehind.written(position);
            }
            return Optional.of(Optional.of(Checksum.of(algorithm, digest)));
        }
    }

    /** How much the kernel copies between two looks at cancellation. */
    private static final long CHUNK_BYTES = 4L << 20;

    /** How much is copied before the kernel is asked to start writing it to disk. */
    private static final long WRITE_BEHIND_BYTES = 16L << 20;

    /**
     * Flushes of big copies while they are still being written. The service flushes every copy
     * before moving it into place; without this, the disk would sit idle while a big file is copied
     * into the page cache, and then the whole file would be written at the end. Shared by all copiers:
     * at most one flush per copy runs at a time, and idle threads end after a minute.
     */
    private static final ExecutorService FLUSHES = Executors.newCachedThreadPool(new DaemonThreads("stagehand-write-behind"));

    /** Starts a flush of a copy in the background each time another {@link #WRITE_BEHIND_BYTES} are written. */
    private static final class WriteBehind implements AutoCloseable {
        private final FileChannel out;
        private long startedAt;
        private Future<?> inFlight;

        WriteBehind(FileChannel out) {
            this.out = out;
        }

        void written(long position) {
            if (position - startedAt < WRITE_BEHIND_BYTES || (inFlight != null && !inFlight.isDone())) {
                return;
            }
            startedAt = position;
            inFlight = FLUSHES.submit(() -> {
                try {
                    out.force(false);
                } catch (IOException e) {
                    // Only an early start; the flush before the copy is moved into place reports failures.
                }
            });
        }

        /** Waits for the flush under way, so that the channel is not closed under it. */
        @Override
        public void close() {
            if (inFlight == null) {
                return;
            }
            try {
                inFlight.get();
            } catch (ExecutionException e) {
                // nothing to report, see above
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
