package org.stagehand.catalog;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.backend.Checksum;
import org.stagehand.catalog.CatalogDao.CatalogRow;
import org.stagehand.catalog.CatalogFileReader.RawEntry;
import org.stagehand.catalog.CatalogImportReport.Rejection;

/**
 * Imports a catalog file: validates each entry, reports the bad ones by where they stand in the
 * file, and inserts or updates the rest. Used by the {@code import-catalog} command and at start-up.
 */
public final class CatalogImporter {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogImporter.class);
    private static final int CHUNK = 500;

    private final Jdbi jdbi;
    private final CatalogFileReader reader;
    private final Optional<String> idPrefix;
    private final Clock clock;

    /**
     * @param idPrefix the DTS prefix (e.g. {@code JDP:}); stripped from IDs that carry it
     */
    public CatalogImporter(Jdbi jdbi, ObjectMapper mapper, Optional<String> idPrefix, Clock clock) {
        this.jdbi = jdbi;
        this.reader = new CatalogFileReader(mapper);
        this.idPrefix = idPrefix;
        this.clock = clock;
    }

    /**
     * Imports {@code file}.
     *
     * @throws IOException when the file cannot be read or is not a catalog at all
     */
    public CatalogImportReport importFile(Path file) throws IOException {
        Batch batch = new Batch();
        reader.read(file, batch::accept);
        batch.flush();
        CatalogImportReport report = new CatalogImportReport(batch.imported, batch.rejected);
        LOG.info("{} from {}", report.summary(), file);
        report.rejected().stream().limit(100).forEach(rejection -> LOG.warn("catalog entry refused: {}", rejection));
        return report;
    }

    /** Validates one raw entry; returns the entry, or the reason it is refused. */
    Validated validate(RawEntry raw) {
        String id = raw.id() == null ? null : raw.id().trim();
        if (id == null || id.isEmpty()) {
            return Validated.refused("id is missing");
        }
        if (idPrefix.isPresent() && id.startsWith(idPrefix.get())) {
            id = id.substring(idPrefix.get().length());
        }
        if (id.isEmpty() || id.length() > CatalogEntry.MAX_ID_LENGTH) {
            return Validated.refused("id must have 1 to " + CatalogEntry.MAX_ID_LENGTH + " characters");
        }
        String problem = RelativePath.problemWith(raw.path());
        if (problem != null) {
            return Validated.refused(problem);
        }
        RelativePath path = new RelativePath(raw.path());
        OptionalLong bytes = OptionalLong.empty();
        if (raw.bytes() != null) {
            try {
                long value = Long.parseLong(raw.bytes().trim());
                if (value < 0) {
                    return Validated.refused("bytes is negative");
                }
                bytes = OptionalLong.of(value);
            } catch (NumberFormatException e) {
                return Validated.refused("bytes '" + raw.bytes() + "' is not a whole number");
            }
        }
        Optional<Checksum> checksum = Optional.empty();
        if (raw.hash() != null && !raw.hash().isBlank()) {
            try {
                checksum = Optional.of(Checksum.parse(raw.hash()));
            } catch (IllegalArgumentException e) {
                return Validated.refused("hash: " + e.getMessage());
            }
        }
        String archiveLocation = raw.archivePath() == null || raw.archivePath().isBlank()
                ? path.value() : raw.archivePath().trim();
        if (archiveLocation.length() > CatalogEntry.MAX_ARCHIVE_LOCATION_LENGTH) {
            return Validated.refused("archive_path is longer than " + CatalogEntry.MAX_ARCHIVE_LOCATION_LENGTH + " characters");
        }
        return new Validated(new CatalogEntry(id, path, archiveLocation, bytes, checksum), null);
    }

    record Validated(CatalogEntry entry, String problem) {
        static Validated refused(String problem) {
            return new Validated(null, problem);
        }
    }

    /** Collects valid entries and writes them a chunk at a time. */
    private final class Batch {
        private final List<RawEntry> pendingRaw = new ArrayList<>();
        private final List<CatalogEntry> pending = new ArrayList<>();
        private final Map<String, String> idByPathInFile = new HashMap<>();
        private final Set<String> idsInFile = new HashSet<>();
        private final List<Rejection> rejected = new ArrayList<>();
        private int imported;

        void accept(RawEntry raw) {
            Validated validated = validate(raw);
            if (validated.entry() == null) {
                rejected.add(new Rejection(raw.location(), raw.id(), validated.problem()));
                return;
            }
            CatalogEntry entry = validated.entry();
            if (!idsInFile.add(entry.fileId())) {
                rejected.add(new Rejection(raw.location(), raw.id(), "the id appears earlier in the file"));
                return;
            }
            String owner = idByPathInFile.putIfAbsent(entry.stagingPath().value(), entry.fileId());
            if (owner != null) {
                rejected.add(new Rejection(raw.location(), raw.id(), "path '" + entry.stagingPath()
                        + "' already belongs to id '" + owner + "' earlier in the file"));
                return;
            }
            pendingRaw.add(raw);
            pending.add(entry);
            if (pending.size() >= CHUNK) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            jdbi.useTransaction(handle -> {
                CatalogDao dao = handle.attach(CatalogDao.class);
                Map<String, String> idByPathInDb = new HashMap<>();
                for (CatalogEntry existing : dao.findByStagingPaths(pending.stream().map(e -> e.stagingPath().value()).toList())) {
                    idByPathInDb.put(existing.stagingPath().value(), existing.fileId());
                }
                List<CatalogRow> rows = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    CatalogEntry entry = pending.get(i);
                    String owner = idByPathInDb.get(entry.stagingPath().value());
                    if (owner != null && !owner.equals(entry.fileId())) {
                        rejected.add(new Rejection(pendingRaw.get(i).location(), pendingRaw.get(i).id(),
                                "path '" + entry.stagingPath() + "' already belongs to id '" + owner + "' in the catalog"));
                    } else {
                        rows.add(CatalogRow.of(entry));
                    }
                }
                int[] updated = dao.update(rows, now);
                List<CatalogRow> fresh = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    if (updated[i] == 0) {
                        fresh.add(rows.get(i));
                    }
                }
                dao.insert(fresh, now);
                imported += rows.size();
            });
            pending.clear();
            pendingRaw.clear();
        }
    }
}
