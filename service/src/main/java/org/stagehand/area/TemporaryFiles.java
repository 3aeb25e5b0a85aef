package org.stagehand.area;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * The temporary files copies are written to: {@code .<name>.<token>.stagehand-part} (a token of 32
 * lower-case letters and digits), hidden
 * from a casual listing, beside their place; a token begins with the epoch of the run that made it.
 */
final class TemporaryFiles {

    private static final Logger LOG = LoggerFactory.getLogger(TemporaryFiles.class);
    private static final String SUFFIX = ".stagehand-part";
    private static final Pattern NAME = Pattern.compile("^\\..*\\.([0-9a-z]{32})\\.stagehand-part$");
    /** Keeps temporary names within the usual 255-byte limit on a file name. */
    private static final int MAX_NAME_PREFIX = 120;

    private TemporaryFiles() {
    }

    /** The temporary file of the claim {@code token} for the place {@code target}. */
    static Path of(Path target, String token) {
        String name = target.getFileName().toString();
        if (name.length() > MAX_NAME_PREFIX) {
            name = name.substring(0, MAX_NAME_PREFIX);
        }
        return target.resolveSibling("." + name + "." + token + SUFFIX);
    }

    /** See {@link StagingArea#temporaryNameProblem}. */
    static String nameProblem(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (name.startsWith(".") && name.endsWith(SUFFIX)) {
            return "path '" + path + "' has the form of the service's temporary files (.<name>.<token>"
                    + SUFFIX + ")";
        }
        return null;
    }

    /** See {@link StagingArea#sweepTemporaryFiles}. */
    static int sweep(Path root, StagingRootGuard guard, Supplier<Predicate<String>> kept) throws IOException {
        List<Path> candidates = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile() && NAME.matcher(file.getFileName().toString()).matches()) {
                    candidates.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
        if (candidates.isEmpty()) {
            return 0;
        }
        Predicate<String> keep = kept.get();
        int deleted = 0;
        for (Path file : candidates) {
            Matcher matcher = NAME.matcher(file.getFileName().toString());
            if (matcher.matches() && !keep.test(matcher.group(1)) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    guard.deleteIfExists(file);
                    deleted++;
                } catch (NoSuchFileException e) {
                    // deleted meanwhile by its own worker
                } catch (IOException e) {
                    LOG.warn("cannot delete leftover temporary file {}: {}", file, e.toString());
                }
            }
        }
        return deleted;
    }
}
