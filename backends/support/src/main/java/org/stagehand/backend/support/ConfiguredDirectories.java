package org.stagehand.backend.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks a configured directory at start-up, with a message that names the configuration key: a
 * missing mount must stop the service, not fail every file later.
 */
public final class ConfiguredDirectories {

    private ConfiguredDirectories() {
    }

    /**
     * The real path of an existing, readable directory.
     *
     * @param key the configuration key, e.g. {@code backend.root}
     * @throws IllegalArgumentException naming the key when the value is missing, not a directory or not readable
     */
    public static Path readable(String key, String directory) throws IOException {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        Path path = Path.of(directory);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(key + ": " + path.toAbsolutePath() + " is not a directory");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(key + ": " + path.toAbsolutePath() + " is not readable");
        }
        return path.toRealPath();
    }

    /**
     * The absolute path of a writable directory, created when missing.
     *
     * @throws IllegalArgumentException naming the key when it cannot be created or is not writable
     */
    public static Path writable(String key, Path directory) {
        Path path = directory.toAbsolutePath();
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot create " + path + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(path)) {
            throw new IllegalArgumentException(key + ": " + path + " is not writable");
        }
        return path;
    }
}
