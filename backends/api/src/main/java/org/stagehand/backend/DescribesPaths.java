package org.stagehand.backend;

import java.io.IOException;
import java.util.Optional;

/**
 * An optional capability of an {@link ArchiveBackend}: saying what the archive holds at a location
 * without staging it. The service uses it to stage files named by path that are not in its catalog
 * (the Tape REST door's {@code tapeRest.resolveUnknownPaths}), as WLCG sites work, with no catalog
 * import. A backend without it can stage only cataloged files.
 */
public interface DescribesPaths {

    /**
     * What is at an archive location (relative to the archive, as catalog {@code archive_path}s are).
     * Keep it quick: it runs while a client waits for its request to be accepted.
     *
     * @return empty when no regular file is there (or the location leads out of the archive)
     * @throws IOException when the archive cannot say now
     */
    Optional<ArchivedFile> describe(String archiveLocation) throws IOException;

    /**
     * A file in the archive.
     *
     * @param bytes its size
     * @param checksum its checksum, when the archive records one
     * @param locality where the archive holds it
     */
    record ArchivedFile(long bytes, Optional<Checksum> checksum, Locality locality) {
    }

    /** Where an archive holds a file. */
    enum Locality {
        /** On tape only: reading it means a recall. */
        TAPE,
        /** On disk only (a directory-tree archive). */
        DISK,
        /** On tape, with a disk copy in the archive's own cache. */
        DISK_AND_TAPE
    }
}
