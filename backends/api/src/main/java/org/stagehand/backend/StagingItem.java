package org.stagehand.backend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One file to bring into the staging area.
 *
 * @param fileId the file's ID in the catalog (without any DTS prefix)
 * @param archiveLocation where the file lives in the archive, as the catalog says; its meaning is
 *     the backend's (a path relative to an archive root, an upstream ID, ...)
 * @param stagingPath the file's path relative to the staging root (the DTS's Frictionless
 *     {@code path}); for messages only, the backend never writes there
 * @param temporaryFile the absolute path to write the content to; its directory exists, the file
 *     itself may or may not (overwrite it)
 * @param expectedBytes the size the catalog records, if any
 * @param expectedChecksum the checksum the catalog records, if any
 * @param attempt 1 on the first attempt, then counting retries
 */
public record StagingItem(
        String fileId,
        String archiveLocation,
        String stagingPath,
        Path temporaryFile,
        OptionalLong expectedBytes,
        Optional<Checksum> expectedChecksum,
        int attempt) {

    public StagingItem {
        Objects.requireNonNull(fileId, "fileId");
        Objects.requireNonNull(archiveLocation, "archiveLocation");
        Objects.requireNonNull(stagingPath, "stagingPath");
        Objects.requireNonNull(temporaryFile, "temporaryFile");
        Objects.requireNonNull(expectedBytes, "expectedBytes");
        Objects.requireNonNull(expectedChecksum, "expectedChecksum");
    }
}
