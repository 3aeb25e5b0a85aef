package org.stagehand.backend.support;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/**
 * The one gate for every read, write, move and delete below the staging root. Anyone who can
 * write to the staging area (a Globus user, an operator's script) can replace a directory by a
 * symbolic link; without this gate, eviction, the sweep or a promotion would then delete or
 * overwrite files wherever the link points. Each directory on the way is looked at without
 * following links: a link is followed only when its real location is below the root, and the
 * change is then made at that real location.
 *
 * <p>What is left: a directory swapped for a link in the instant between this check and the
 * change itself. Closing that would need {@code openat}/{@code unlinkat} on every platform.
 */
public final class StagingRootGuard {

    /** Refusal of a path whose real location is not below the staging root. */
    public static final class OutsideRootException extends IOException {
        OutsideRootException(String message) {
            super(message);
        }
    }

    private final Path root;

    /** @param root the real (link-free), absolute staging root */
    public StagingRootGuard(Path root) {
        this.root = root;
    }

    /**
     * Where {@code path} (lexically below the root) really is: each existing directory on the way
     * is a real directory or a link whose real location is below the root; the last segment itself
     * is not followed. Segments that do not exist yet are appended as they are.
     *
     * @throws OutsideRootException when a directory on the way leads out of the root
     * @throws NotDirectoryException when something other than a directory is on the way
     */
    public Path resolve(Path path) throws IOException {
        Path relative = relativeOf(path);
        Path current = root;
        int last = relative.getNameCount() - 1;
        for (int i = 0; i < last; i++) {
            Path next = current.resolve(relative.getName(i).toString());
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                // Nothing there to follow: the rest of the path does not exist either.
                return next.resolve(relative.subpath(i + 1, relative.getNameCount()).toString());
            }
            current = enter(next, relative.subpath(0, i + 1));
        }
        return current.resolve(relative.getFileName().toString());
    }

    /** The real directory at {@code next}, which exists; {@code shown} names it in messages. */
    private Path enter(Path next, Path shown) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(next, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            Path real;
            try {
                real = next.toRealPath();
            } catch (NoSuchFileException e) {
                throw new OutsideRootException("'" + shown + "' is a symbolic link to nothing; it is not followed");
            }
            if (!real.startsWith(root)) {
                throw new OutsideRootException("'" + shown + "' is a symbolic link leading out of the staging root");
            }
            next = real;
            attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        if (!attributes.isDirectory()) {
            throw new NotDirectoryException("'" + shown + "' is in the way: it is not a directory");
        }
        return next;
    }

    /**
     * Deletes the file (or link, never followed) at {@code path}.
     *
     * @return whether there was one
     */
    public boolean deleteIfExists(Path path) throws IOException {
        return Files.deleteIfExists(resolve(path));
    }

    /**
     * Renames {@code source} over {@code target} in one atomic step. A source that is a link is
     * refused: the service's own files are never links.
     */
    public void moveAtomically(Path source, Path target) throws IOException {
        Path realSource = resolve(source);
        Path realTarget = resolve(target);
        if (Files.isSymbolicLink(realSource)) {
            throw new OutsideRootException("'" + relativeOf(source) + "' is a symbolic link; it is not moved");
        }
        Files.move(realSource, realTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The real location of a regular file (not a link) at {@code path}, or empty when there is none or it is outside. */
    public Optional<Path> regularFile(Path path) {
        try {
            Path real = resolve(path);
            return Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS) ? Optional.of(real) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates the directories down to {@code directory} one at a time, each entered as
     * {@link #resolve} does, so nothing is ever created outside the root.
     */
    public void createDirectories(Path directory) throws IOException {
        if (directory.toAbsolutePath().normalize().equals(root)) {
            return;
        }
        Path relative = relativeOf(directory);
        Path current = root;
        for (int i = 0; i < relative.getNameCount(); i++) {
            Path next = current.resolve(relative.getName(i).toString());
            if (!Files.exists(next, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.createDirectory(next);
                } catch (FileAlreadyExistsException e) {
                    // made meanwhile by another worker; entered below like any other
                }
            }
            current = enter(next, relative.subpath(0, i + 1));
        }
    }

    /** The path relative to the root, for checks and for messages that must not show server paths. */
    public Path relativeOf(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(root) || normalized.equals(root)) {
            throw new IllegalArgumentException("path leaves the staging root");
        }
        return root.relativize(normalized);
    }
}
