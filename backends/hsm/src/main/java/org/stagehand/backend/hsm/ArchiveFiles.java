package org.stagehand.backend.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.stagehand.backend.support.ArchiveFileCopier;

/** Finds the regular files that archive locations name below the root, before the HSM is asked about them. */
final class ArchiveFiles {

    private ArchiveFiles() {
    }

    /**
     * @param absent told of each location that names no regular file below the root (missing, a
     *     directory, or leading out of the root)
     * @return the real path of each location that names a regular file, in the order given
     * @throws IOException when the archive cannot be read now
     */
    static Map<String, Path> regularFiles(ArchiveFileCopier copier, Collection<String> locations, Consumer<String> absent)
            throws IOException {
        Map<String, Path> present = new LinkedHashMap<>();
        for (String location : locations) {
            Path file;
            try {
                file = copier.resolveInsideRoot(location);
            } catch (NoSuchFileException | IllegalArgumentException e) {
                absent.accept(location);
                continue;
            }
            if (Files.isRegularFile(file)) {
                present.put(location, file);
            } else {
                absent.accept(location);
            }
        }
        return present;
    }
}
