package org.stagehand.area;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * The staging area: the directory tree the DTS reads through Globus. A file appears at its path
 * only complete and verified: it is written under a temporary name in the same directory, checked,
 * flushed to disk and renamed into place.
 */
public final class StagingArea {

    private static final Logger LOG = LoggerFactory.getLogger(StagingArea.class);

    private final Path root;
    private final StagingRootGuard guard;

    private StagingArea(Path root) {
        this.root = root;
        this.guard = new StagingRootGuard(root);
    }

    /**
     * Opens the staging area at {@code root}.
     *
     * @param create whether a missing root is created
     * @throws IllegalArgumentException naming {@code staging.root} when the root is unusable
     */
    public static StagingArea open(Path root, boolean create) throws IOException {
        if (!Files.exists(root)) {
            if (!create) {
                throw new IllegalArgumentException("staging.root: " + root.toAbsolutePath()
                        + " does not exist (create it, or set staging.createRoot: true)");
            }
            Files.createDirectories(root);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("staging.root: " + root.toAbsolutePath() + " is not a directory");
        }
        if (!Files.isWritable(root)) {
            throw new IllegalArgumentException("staging.root: " + root.toAbsolutePath() + " is not writable");
        }
        return new StagingArea(root.toRealPath());
    }

    /** The real, absolute path of the staging root. */
    public Path root() {
        return root;
    }

    /**
     * A file's place is taken by something no retry removes: a directory where the file goes, or a
     * file where one of its directories goes (typically another catalog entry's copy).
     */
    public static final class PathInTheWayException extends IOException {
        private static final long serialVersionUID = 1L;

        public PathInTheWayException(String message) {
            super(message);
        }
    }

    /** Whether a failure to put a file in place is one that retrying cannot cure. */
    public static boolean isPathInTheWay(IOException failure) {
        return failure instanceof PathInTheWayException || failure instanceof java.nio.file.DirectoryNotEmptyException
                || failure instanceof java.nio.file.NotDirectoryException
                || failure instanceof java.nio.file.FileAlreadyExistsException;
    }

    /** Where the file with this relative path appears. */
    public Path target(RelativePath path) {
        Path target = root.resolve(path.value()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IllegalArgumentException("path leaves the staging root: " + path);
        }
        return target;
    }

    /** The temporary file used for {@code path} by the claim {@code token}; nothing is created. */
    public Path temporaryFile(RelativePath path, String token) {
        return TemporaryFiles.of(target(path), token);
    }

    /**
     * Creates the directories for {@code path} and returns its temporary file for the claim
     * {@code token}.
     *
     * @throws IOException when the directories cannot be made (a file is in the way), or lead out of
     *     the root through a symbolic link, or a directory stands at the file's place
     */
    public Path prepareTemporaryFile(RelativePath path, String token) throws IOException {
        Path temporary = temporaryFile(path, token);
        guard.createDirectories(temporary.getParent());
        if (Files.isDirectory(target(path), LinkOption.NOFOLLOW_LINKS)) {
            // Copying first would only fail at the rename, and retrying cannot help.
            throw new PathInTheWayException("a directory is in the way at '" + path + "'");
        }
        return temporary;
    }

    /**
     * Checks a file against the catalog's size and checksum.
     *
     * @param observed a checksum the writer computed over the bytes it wrote; used instead of
     *     reading the file again when it is in the expected algorithm
     * @return why the file does not match, or empty when it does
     */
    public Optional<String> verify(Path file, OptionalLong expectedBytes, Optional<Checksum> expected,
                                   Optional<Checksum> observed) throws IOException {
        long size = Files.size(file);
        if (expectedBytes.isPresent() && size != expectedBytes.getAsLong()) {
            return Optional.of("size mismatch: expected " + expectedBytes.getAsLong() + " bytes, got " + size);
        }
        if (expected.isEmpty()) {
            return Optional.empty();
        }
        Checksum wanted = expected.get();
        Checksum actual = observed.filter(o -> o.algorithm().equals(wanted.algorithm()))
                .orElseGet(() -> checksumOf(file, wanted.algorithm()));
        if (!actual.equals(wanted)) {
            return Optional.of("checksum mismatch: expected " + wanted + ", got " + actual);
        }
        return Optional.empty();
    }

    /** Computes a file's checksum. */
    public static Checksum checksumOf(Path file, String algorithm) {
        MessageDigest digest = Checksum.newDigest(algorithm);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Checksum.of(algorithm, digest);
    }

    /**
     * Whether a complete, verified copy already stands at {@code path}'s place: a regular file (not
     * a link) of the catalog's size and checksum.
     */
    public boolean holdsVerifiedCopy(RelativePath path, OptionalLong expectedBytes, Optional<Checksum> expected) {
        Optional<Path> found = guard.regularFile(target(path));
        if (found.isEmpty()) {
            return false;
        }
        Path target = found.get();
        try {
            return verify(target, expectedBytes, expected, Optional.empty()).isEmpty();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot check existing copy {}: {}", target, e.toString());
            return false;
        }
    }

    /** Whether anything stands at {@code path}'s place (cheap: one stat). */
    public boolean exists(RelativePath path) {
        return guard.regularFile(target(path)).isPresent();
    }

    /**
     * A verified file and its place: {@code temporary} is moved there, or, for a copy found already
     * standing at its place, is {@code null} and the copy is only made durable.
     */
    public record Promotion(Path temporary, RelativePath path) {

        /** A verified copy already at its place. */
        public static Promotion inPlace(RelativePath path) {
            return new Promotion(null, path);
        }

        public boolean isInPlace() {
            return temporary == null;
        }
    }

    /**
     * Makes verified files durable and moves each to its place in one atomic step: the files are
     * flushed, then renamed over their targets, then every directory that received one is flushed
     * so the renames survive a crash (see {@link #flush} and {@link #moveIntoPlace}).
     *
     * @return the promotions that failed, with why; every other file is in place and durable
     * @throws InterruptedException when interrupted while waiting for the flushes; files already
     *     renamed are complete, the others are still under their temporary names
     */
    public Map<Promotion, IOException> promote(List<Promotion> promotions, Executor flushers)
            throws InterruptedException {
        Map<Promotion, IOException> failures = flush(promotions, flushers);
        List<Promotion> flushed = promotions.stream().filter(promotion -> !failures.containsKey(promotion)).toList();
        failures.putAll(moveIntoPlace(flushed, flushers, () -> true));
        return failures;
    }

    /**
     * Flushes verified files to disk (a copy found in place is flushed where it stands), in
     * parallel on {@code flushers}: the file system commits concurrent flushes together, so a
     * group of small files costs about what one does.
     *
     * @return the promotions that failed, with why
     */
    public Map<Promotion, IOException> flush(List<Promotion> promotions, Executor flushers)
            throws InterruptedException {
        Map<Promotion, IOException> failures = new HashMap<>();
        Map<Promotion, Path> files = new LinkedHashMap<>();
        for (Promotion promotion : promotions) {
            try {
                files.put(promotion, promotion.isInPlace() ? target(promotion.path()) : promotion.temporary());
            } catch (IllegalArgumentException e) {
                failures.put(promotion, new IOException(e.getMessage(), e));
            }
        }
        failures.putAll(Flushes.inParallel(files.keySet(), promotion -> Flushes.flush(guard.resolve(files.get(promotion))),
                flushers));
        return failures;
    }

    /**
     * Renames flushed files over their targets, then flushes every directory that received one so
     * the renames survive a crash. Each rename happens only while {@code stillInTime} says so: the
     * caller holds its claims for a bounded time, and a file it can no longer be sure of is left
     * under its temporary name.
     *
     * @return the promotions that failed (or were too late), with why; every other file is in place
     * @throws InterruptedException when interrupted while waiting for the directory flushes
     */
    public Map<Promotion, IOException> moveIntoPlace(List<Promotion> promotions, Executor flushers,
                                                     BooleanSupplier stillInTime) throws InterruptedException {
        Map<Promotion, IOException> failures = new HashMap<>();
        Set<Path> directories = new LinkedHashSet<>();
        for (Promotion promotion : promotions) {
            Path target;
            try {
                target = target(promotion.path());
            } catch (IllegalArgumentException e) {
                failures.put(promotion, new IOException(e.getMessage(), e));
                continue;
            }
            if (!promotion.isInPlace()) {
                if (!stillInTime.getAsBoolean()) {
                    failures.put(promotion, new IOException("its claim could not be confirmed in time to move it into place"));
                    continue;
                }
                try {
                    guard.moveAtomically(promotion.temporary(), target);
                } catch (AtomicMoveNotSupportedException e) {
                    failures.put(promotion, new IOException(
                            "the staging file system cannot rename atomically: " + e.getMessage(), e));
                    continue;
                } catch (IOException e) {
                    failures.put(promotion, e);
                    continue;
                }
            }
            directories.add(target.getParent());
        }
        Flushes.inParallel(directories, Flushes::syncDirectory, flushers);
        return failures;
    }

    /** Deletes the copy at {@code path}'s place, if any (a link there is removed, not followed). */
    public void removeCopy(RelativePath path) throws IOException {
        guard.deleteIfExists(target(path));
    }

    /** Deletes a temporary file if it exists. */
    public void discard(Path temporary) {
        try {
            guard.deleteIfExists(temporary);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("cannot delete temporary file {}: {}", temporary, e.toString());
        }
    }

    /**
     * Why a catalog path may not be staged because its file name has the form of this service's
     * temporary files ({@code .<name>.<token>.stagehand-part}), or null when it may: the sweep and
     * the takeover of claims delete such files.
     */
    public static String temporaryNameProblem(String path) {
        return TemporaryFiles.nameProblem(path);
    }

    /**
     * Deletes the temporary files that {@code kept} does not keep (left by a crash), asking only
     * after walking the whole staging area. A claim is committed before its temporary file is
     * created, so a file that the walk found belongs to a claim that the later question sees, even
     * when another instance made the claim while the walk ran; asking first would delete such a
     * file under its writer. Files and directories that vanish during the walk (removed or renamed
     * by a running peer) are passed over.
     *
     * @param kept asked once, after the walk: whether the temporary file of a claim token must stay
     * @return how many files were deleted
     */
    public int sweepTemporaryFiles(Supplier<Predicate<String>> kept) throws IOException {
        return TemporaryFiles.sweep(root, guard, kept);
    }
}
