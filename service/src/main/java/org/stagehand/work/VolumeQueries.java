package org.stagehand.work;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.UseRowMapper;
import org.stagehand.db.DefineStates;

/**
 * The {@code staged_file} statements of volume planning: where queued files lie on tape (cached
 * with the work row), the queue by volume, and the claiming of a volume. Part of {@link WorkDao},
 * the table's one DAO; a file of its own only to keep each file readable.
 */
@DefineStates(FileState.class)
interface VolumeQueries {

    /** A queued file whose place the backend has not been asked for. */
    record Unlocated(String fileId, String archiveLocation) {
    }

    @SqlQuery("""
            SELECT s.file_id, c.archive_location FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
            WHERE s.state = <FileState.PENDING> AND s.located_at IS NULL
            ORDER BY s.not_before, s.file_id LIMIT :limit""")
    @UseRowMapper(UnlocatedMapper.class)
    List<Unlocated> unlocated(@Bind("limit") int limit);

    /** Caches where files lie; a null volume means "staged without tape planning". */
    @SqlBatch("""
            UPDATE staged_file SET tape_volume = :volume, tape_position = :position, tape_offset = :offset,
                located_at = :now
            WHERE file_id = :fileId""")
    void recordPlaces(@Bind("fileId") List<String> fileIds, @Bind("volume") List<String> volumes,
                      @Bind("position") List<Long> positions, @Bind("offset") List<Long> offsets,
                      @Bind("now") Instant now);

    /** The due files on tape, by volume. */
    @SqlQuery("""
            SELECT s.tape_volume, count(*) AS files, coalesce(sum(c.bytes), 0) AS bytes,
                min(s.not_before) AS oldest_due_since
            FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
            WHERE s.state = <FileState.PENDING> AND s.not_before <= :now AND s.tape_volume IS NOT NULL
            GROUP BY s.tape_volume""")
    @UseRowMapper(VolumeQueueMapper.class)
    List<MountPolicy.VolumeQueue> dueByVolume(@Bind("now") Instant now);

    /** Volumes another instance works on (this one knows its own). */
    @SqlQuery("""
            SELECT DISTINCT tape_volume FROM staged_file
            WHERE state = <FileState.ACTIVE> AND tape_volume IS NOT NULL AND lease_owner <> :owner""")
    List<String> volumesInProgressElsewhere(@Bind("owner") String owner);

    /**
     * A queued or claimed file of a volume, locked.
     *
     * @param leaseOwner the instance whose claim holds it, when claimed
     */
    record LockedFile(String fileId, FileState state, Optional<String> leaseOwner) {
    }

    /**
     * Locks every queued and claimed file of a volume, waiting for the locks (not skipping them):
     * an instance claiming the volume at the same moment commits first, and its claims are then
     * seen here, so a volume is worked on by one instance at a time.
     */
    @SqlQuery("""
            SELECT file_id, state, lease_owner FROM staged_file
            WHERE tape_volume = :volume AND state IN (<FileState.PENDING>, <FileState.ACTIVE>)
            ORDER BY file_id FOR UPDATE""")
    @UseRowMapper(LockedFileMapper.class)
    List<LockedFile> lockVolume(@Bind("volume") String volume);

    /** The due files of a volume in read order; the caller holds their locks ({@link #lockVolume}). */
    @SqlQuery("""
            SELECT file_id FROM staged_file
            WHERE tape_volume = :volume AND state = <FileState.PENDING> AND not_before <= :now
            ORDER BY tape_position, tape_offset, file_id LIMIT :limit""")
    List<String> dueOnVolume(@Bind("volume") String volume, @Bind("now") Instant now, @Bind("limit") int limit);

    /**
     * Locks due files that lie on no volume (located on disk, or the backend could not say), as
     * {@link WorkDao#lockDue} locks due files: only those returned.
     *
     * @param postgres whether the database is PostgreSQL (else H2)
     */
    default List<String> lockDueOffTape(Instant now, int limit, boolean postgres) {
        return postgres ? lockDueOffTapeSkippingLocked(now, limit) : lockDueOffTapeOnH2(now, limit);
    }

    @SqlQuery("""
            SELECT file_id FROM staged_file
            WHERE state = <FileState.PENDING> AND not_before <= :now AND located_at IS NOT NULL AND tape_volume IS NULL
            ORDER BY not_before, file_id LIMIT :limit FOR UPDATE SKIP LOCKED""")
    List<String> lockDueOffTapeSkippingLocked(@Bind("now") Instant now, @Bind("limit") int limit);

    /** The rows are chosen first, then locked, for the reason {@link WorkDao#lockDueOnH2} gives. */
    @SqlQuery("""
            SELECT file_id FROM staged_file
            WHERE file_id IN (SELECT file_id FROM staged_file
                              WHERE state = <FileState.PENDING> AND not_before <= :now
                                  AND located_at IS NOT NULL AND tape_volume IS NULL
                              ORDER BY not_before, file_id LIMIT :limit)
                AND state = <FileState.PENDING> AND not_before <= :now AND located_at IS NOT NULL AND tape_volume IS NULL
            ORDER BY not_before, file_id FOR UPDATE SKIP LOCKED""")
    List<String> lockDueOffTapeOnH2(@Bind("now") Instant now, @Bind("limit") int limit);

    /** A queued or claimed file on tape, for the plan's snapshot. */
    record FileOnTape(String volume, TapePlan.PlannedFile file, boolean claimed, Instant dueSince) {
    }

    /** Every queued and claimed file on tape, by volume in read order. */
    @SqlQuery("""
            SELECT s.file_id, c.archive_location, coalesce(c.bytes, 0) AS bytes, s.tape_volume, s.tape_position,
                s.tape_offset, s.state, s.lease_owner, s.not_before, s.updated_at
            FROM staged_file s JOIN catalog_entry c ON c.file_id = s.file_id
            WHERE s.tape_volume IS NOT NULL AND (s.state = <FileState.ACTIVE> OR (s.state = <FileState.PENDING> AND s.not_before <= :now))
            ORDER BY s.tape_volume, s.tape_position, s.tape_offset, s.file_id""")
    @UseRowMapper(FileOnTapeMapper.class)
    List<FileOnTape> filesOnTape(@Bind("now") Instant now);

    final class UnlocatedMapper implements RowMapper<Unlocated> {
        @Override
        public Unlocated map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Unlocated(rs.getString("file_id"), rs.getString("archive_location"));
        }
    }

    final class LockedFileMapper implements RowMapper<LockedFile> {
        @Override
        public LockedFile map(ResultSet rs, StatementContext ctx) throws SQLException {
            FileState state = FileState.valueOf(rs.getString("state"));
            return new LockedFile(rs.getString("file_id"), state,
                    state == FileState.ACTIVE ? Optional.ofNullable(rs.getString("lease_owner")) : Optional.empty());
        }
    }

    final class VolumeQueueMapper implements RowMapper<MountPolicy.VolumeQueue> {
        @Override
        public MountPolicy.VolumeQueue map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new MountPolicy.VolumeQueue(rs.getString("tape_volume"), rs.getInt("files"), rs.getLong("bytes"),
                    instant(rs, "oldest_due_since"), 0);
        }
    }

    final class FileOnTapeMapper implements RowMapper<FileOnTape> {
        @Override
        public FileOnTape map(ResultSet rs, StatementContext ctx) throws SQLException {
            boolean claimed = FileState.ACTIVE.name().equals(rs.getString("state"));
            TapePlan.PlannedFile file = new TapePlan.PlannedFile(rs.getString("file_id"), rs.getString("archive_location"),
                    rs.getLong("bytes"), rs.getLong("tape_position"), rs.getLong("tape_offset"),
                    claimed ? Optional.ofNullable(rs.getString("lease_owner")) : Optional.empty());
            return new FileOnTape(rs.getString("tape_volume"), file, claimed,
                    instant(rs, claimed ? "updated_at" : "not_before"));
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
