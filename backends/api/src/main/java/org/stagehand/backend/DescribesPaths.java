package org.stagehand.backend;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
     * What is at each of these locations. A backend whose tool answers for many files at once (an
     * HPSS listing, an HSM state query) overrides this to ask in a few calls instead of one a
     * location; the default asks {@link #describe} for each.
     *
     * @return for each location the archive could answer for: the file, or empty when no regular
     *     file is there. A location the archive cannot answer for now (its tool failed for it) is
     *     left out, never reported empty: "absent" is an answer, a failure is not.
     * @throws IOException when the archive cannot answer for any of them now
     */
    default Map<String, Optional<ArchivedFile>> describeAll(Collection<String> archiveLocations) throws IOException {
        Map<String, Optional<ArchivedFile>> answers = new LinkedHashMap<>();
        for (String location : archiveLocations) {
            answers.put(location, describe(location));
        }
        return answers;
    }

    /**
     * A file in the archive.
     *
     * @param bytes its size
     * @param checksum its checksum, when the archive records one
     * @param locality where the archive holds it
     */
    record ArchivedFile(long bytes, Optional<Checksum> checksum, Locality locality) {
    }

    /** Where an archive holds a file, as far as its tool tells. */
    enum Locality {
        /** On tape only: reading it means a recall. */
        TAPE,
        /**
         * On disk, read without a recall, and no tape copy known: a directory-tree archive, a file
         * an HSM has not migrated, or a file HPSS lists on a disk-cache volume.
         */
        DISK,
        /** On tape, with a disk copy in the archive's own cache. */
        DISK_AND_TAPE,
        /** The archive says its copy is lost or damaged: staging it cannot succeed. */
        LOST,
        /**
         * The file is there, but the archive's tool does not say where its data is (a custom HSM
         * whose state patterns tell only "online" or "offline", a state text no rule knows).
         */
        UNKNOWN
    }
}
