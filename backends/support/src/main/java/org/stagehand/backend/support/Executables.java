package org.stagehand.backend.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding a tool the way a shell does: a name with a slash is a path, a bare name is looked up on {@code PATH}. */
public final class Executables {

    private Executables() {
    }

    /**
     * The executable file {@code program} names, if there is one.
     *
     * @param program a path (it holds a {@code /}) or a bare name
     * @param searchPath the {@code PATH} to look a bare name up on (may be null or empty)
     */
    public static Optional<Path> find(String program, String searchPath) {
        if (program.contains("/")) {
            Path path = Path.of(program).toAbsolutePath();
            return isExecutableFile(path) ? Optional.of(path) : Optional.empty();
        }
        if (searchPath == null) {
            return Optional.empty();
        }
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (!directory.isEmpty()) {
                Path candidate = Path.of(directory, program);
                if (isExecutableFile(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Like {@link #find}, but a tool that is not there stops the start with a message naming the
     * configuration key.
     */
    public static Path require(String key, String program, String searchPath) {
        return find(program, searchPath).orElseThrow(() -> new IllegalArgumentException(program.contains("/")
                ? key + ": " + Path.of(program).toAbsolutePath() + " is not an executable file"
                : key + ": '" + program + "' is not on the PATH; give its full path"));
    }

    private static boolean isExecutableFile(Path path) {
        return Files.isRegularFile(path) && Files.isExecutable(path);
    }
}
