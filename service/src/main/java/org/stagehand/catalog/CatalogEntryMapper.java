package org.stagehand.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalLong;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.stagehand.area.RelativePath;
import org.stagehand.backend.Checksum;

/** Maps {@code file_id, staging_path, archive_location, bytes, checksum} columns. */
public final class CatalogEntryMapper implements RowMapper<CatalogEntry> {

    @Override
    public CatalogEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        long bytes = rs.getLong("bytes");
        OptionalLong size = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(bytes);
        String checksum = rs.getString("checksum");
        return new CatalogEntry(
                rs.getString("file_id"),
                new RelativePath(rs.getString("staging_path")),
                rs.getString("archive_location"),
                size,
                Optional.ofNullable(checksum).map(Checksum::parse));
    }
}
