package org.stagehand.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The catalog table, {@code catalog_entry}: its one writer. */
@RegisterRowMapper(CatalogEntryMapper.class)
public interface CatalogDao {

    @SqlQuery("""
            SELECT file_id, staging_path, archive_location, bytes, checksum FROM catalog_entry
            WHERE staging_path IN (<paths>)""")
    List<CatalogEntry> findByStagingPaths(@BindList("paths") Collection<String> stagingPaths);

    /**
     * One entry whose path lies below the directory {@code dir} (paths from {@code dir/} up to, not
     * including, {@code dir0}: the next character after {@code /}), or none. H2 compares by code point.
     */
    @SqlQuery("""
            SELECT file_id, staging_path, archive_location, bytes, checksum FROM catalog_entry
            WHERE staging_path >= :dir || '/' AND staging_path < :dir || '0'
            ORDER BY staging_path LIMIT 1""")
    Optional<CatalogEntry> firstBelow(@Bind("dir") String dir);

    /** {@link #firstBelow} on PostgreSQL: byte-order operators, served by the {@code text_pattern_ops} index. */
    @SqlQuery("""
            SELECT file_id, staging_path, archive_location, bytes, checksum FROM catalog_entry
            WHERE staging_path ~>=~ (:dir || '/') AND staging_path ~<~ (:dir || '0')
            LIMIT 1""")
    Optional<CatalogEntry> firstBelowPostgres(@Bind("dir") String dir);

    @SqlQuery("""
            SELECT count(*) FROM catalog_entry""")
    long count();

    /** Updates existing entries; returns, per row, how many rows changed (0: not there yet). */
    @SqlBatch("""
            UPDATE catalog_entry SET staging_path = :stagingPath, archive_location = :archiveLocation,
                bytes = :bytes, checksum = :checksum, imported_at = :now
            WHERE file_id = :fileId""")
    int[] update(@BindMethods List<CatalogRow> rows, @Bind("now") Instant now);

    @SqlBatch("""
            INSERT INTO catalog_entry (file_id, staging_path, archive_location, bytes, checksum, imported_at)
            VALUES (:fileId, :stagingPath, :archiveLocation, :bytes, :checksum, :now)""")
    void insert(@BindMethods List<CatalogRow> rows, @Bind("now") Instant now);

    @SqlBatch("""
            INSERT INTO catalog_entry (file_id, staging_path, archive_location, bytes, checksum, imported_at)
            VALUES (:fileId, :stagingPath, :archiveLocation, :bytes, :checksum, :now)
            ON CONFLICT DO NOTHING""")
    void insertIfAbsent(@BindMethods List<CatalogRow> rows, @Bind("now") Instant now);

    /**
     * Adds entries for files found in the archive by path; an entry that appeared meanwhile (the
     * same path asked for at the same moment) is left as it is.
     */
    default void insertDiscovered(List<CatalogEntry> entries, Instant now) {
        if (!entries.isEmpty()) {
            insertIfAbsent(entries.stream().map(CatalogRow::of).toList(), now);
        }
    }

    /** A catalog entry in the shape of its row. */
    record CatalogRow(String fileId, String stagingPath, String archiveLocation, Long bytes, String checksum) {

        static CatalogRow of(CatalogEntry entry) {
            return new CatalogRow(entry.fileId(), entry.stagingPath().value(), entry.archiveLocation(),
                    entry.bytes().isPresent() ? entry.bytes().getAsLong() : null,
                    entry.checksum().map(Object::toString).orElse(null));
        }
    }
}
