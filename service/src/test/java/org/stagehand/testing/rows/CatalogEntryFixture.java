package org.stagehand.testing.rows;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/** A {@code catalog_entry} row to insert; every field has a default, each entry its own ID and path. */
public final class CatalogEntryFixture {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private String fileId;
    private String stagingPath;
    private String archiveLocation;
    private Long bytes = 100L;
    private String checksum;
    private Instant importedAt = Times.T0;

    private CatalogEntryFixture() {
        int n = NEXT.incrementAndGet();
        fileId = String.format("file-%06d", n);
        stagingPath = "data/" + fileId + ".dat";
        archiveLocation = "/archive/" + stagingPath;
    }

    public static CatalogEntryFixture aCatalogEntry() {
        return new CatalogEntryFixture();
    }

    public CatalogEntryFixture withFileId(String fileId) {
        this.fileId = fileId;
        return this;
    }

    public CatalogEntryFixture withStagingPath(String stagingPath) {
        this.stagingPath = stagingPath;
        return this;
    }

    public CatalogEntryFixture withArchiveLocation(String archiveLocation) {
        this.archiveLocation = archiveLocation;
        return this;
    }

    /** @param bytes the size, or null for unknown */
    public CatalogEntryFixture withBytes(Long bytes) {
        this.bytes = bytes;
        return this;
    }

    public CatalogEntryFixture withChecksum(String checksum) {
        this.checksum = checksum;
        return this;
    }

    public CatalogEntryFixture insert(Jdbi jdbi) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        INSERT INTO catalog_entry (file_id, staging_path, archive_location, bytes, checksum, imported_at)
                        VALUES (:fileId, :stagingPath, :archiveLocation, :bytes, :checksum, :importedAt)""")
                .bind("fileId", fileId)
                .bind("stagingPath", stagingPath)
                .bind("archiveLocation", archiveLocation)
                .bind("bytes", bytes)
                .bind("checksum", checksum)
                .bind("importedAt", importedAt)
                .execute());
        return this;
    }

    public String fileId() {
        return fileId;
    }

    public String stagingPath() {
        return stagingPath;
    }

    public Long bytes() {
        return bytes;
    }
}
