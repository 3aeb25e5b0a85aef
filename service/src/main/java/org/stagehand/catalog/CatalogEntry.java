package org.stagehand.catalog;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.stagehand.area.RelativePath;
import org.stagehand.backend.Checksum;

/**
 * A file the service can stage.
 *
 * @param fileId the organization's ID for the file, without the DTS prefix
 * @param stagingPath where its copy goes, relative to the staging root
 * @param archiveLocation where the backend finds it (by default the same as the staging path)
 * @param bytes its size, when known
 * @param checksum its checksum, when known
 */
public record CatalogEntry(String fileId, RelativePath stagingPath, String archiveLocation, OptionalLong bytes,
                           Optional<Checksum> checksum) {

    /** The longest file ID accepted; the database columns hold this much. */
    public static final int MAX_ID_LENGTH = 255;
    /** The longest archive location accepted. */
    public static final int MAX_ARCHIVE_LOCATION_LENGTH = 4096;

    public CatalogEntry {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(stagingPath, "stagingPath");
        Objects.requireNonNull(archiveLocation, "archiveLocation");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(checksum, "checksum");
    }
}
