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
import org.stagehand.area.StagingArea;
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
    private final boolean postgres;
    private final Clock clock;

    /**
     * @param idPrefix the DTS prefix (e.g. {@code JDP:}); stripped from IDs that carry it
     * @param postgres whether the database is PostgreSQL (its own query for paths below a directory)
     */
    public CatalogImporter(Jdbi jdbi, ObjectMapper mapper, Optional<String> idPrefix, boolean postgres, Clock clock) {
        this.jdbi = jdbi;
        this.reader = new CatalogFileReader(mapper);
        this.idPrefix = idPrefix;
        this.postgres = postgres;
        this.clock = clock;
    }

    /**
     * Imports {@code file}, all or nothing: its valid entries are written in one transaction, so a
     * file that turns out unreadable half-way (or a database failure) leaves the catalog as it was.
     * Refused entries (reported by where they stand) do not stop the others.
     *
     * @throws CatalogFileException when the file cannot be imported at all; nothing of it is imported
     * @throws IOException when reading fails otherwise; nothing of it is imported
     */
    public CatalogImportReport importFile(Path file) throws IOException {
        Batch batch = jdbi.inTransaction(handle -> {
            Batch inTransaction = new Batch(handle.attach(CatalogDao.class));
            reader.read(file, inTransaction::accept);
            inTransaction.flush();
            return inTransaction;
        });
        CatalogImportReport report = new CatalogImportReport(batch.imported, batch.rejected);
        LOG.info("{} from {}", report.summary(), file);
        report.rejected().stream().limit(100).forEach(rejection -> LOG.warn("catalog entry refused: {}", rejection));
        return report;
    }

    /** Validates one raw entry; returns the entry, or the reason it is refused. */
    Validated validate(RawEntry raw) {
        if (raw.readProblem() != null) {
            return Validated.refused(raw.readProblem());
        }
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
        if (problem == null) {
            problem = StagingArea.temporaryNameProblem(raw.path());
        }
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

    /** An entry a later one may clash with: its ID and path. */
    private record Owner(String fileId, String path) {
    }

    /**
     * Collects valid entries and writes them a chunk at a time, in the import's transaction. Refuses
     * an entry whose ID or path was taken earlier in the file or by another ID in the catalog, and one
     * whose path is a directory of another's or lies below another's (only one of the two could ever
     * be staged), naming the first.
     */
    private final class Batch {
        private final CatalogDao dao;
        private final List<RawEntry> pendingRaw = new ArrayList<>();
        private final List<CatalogEntry> pending = new ArrayList<>();
        private final Map<String, String> idByPathInFile = new HashMap<>();
        private final Map<String, Owner> firstBelowDirInFile = new HashMap<>();
        private final Set<String> idsInFile = new HashSet<>();
        private final List<Rejection> rejected = new ArrayList<>();
        private int imported;

        Batch(CatalogDao dao) {
            this.dao = dao;
        }

        void accept(RawEntry raw) {
            Validated validated = validate(raw);
            if (validated.entry() == null) {
                rejected.add(new Rejection(raw.location(), raw.id(), validated.problem()));
                return;
            }
            CatalogEntry entry = validated.entry();
            String problem = clashInFile(entry);
            if (problem != null) {
                rejected.add(new Rejection(raw.location(), raw.id(), problem));
                return;
            }
            idsInFile.add(entry.fileId());
            String path = entry.stagingPath().value();
            idByPathInFile.put(path, entry.fileId());
            for (String dir : directoriesOf(path)) {
                firstBelowDirInFile.putIfAbsent(dir, new Owner(entry.fileId(), path));
            }
            pendingRaw.add(raw);
            pending.add(entry);
            if (pending.size() >= CHUNK) {
                flush();
            }
        }

        private String clashInFile(CatalogEntry entry) {
            if (idsInFile.contains(entry.fileId())) {
                return "the id appears earlier in the file";
            }
            String path = entry.stagingPath().value();
            String owner = idByPathInFile.get(path);
            if (owner != null) {
                return "path '" + path + "' already belongs to id '" + owner + "' earlier in the file";
            }
            Owner below = firstBelowDirInFile.get(path);
            if (below != null) {
                return "path '" + path + "' is a directory of '" + below.path() + "' (id '" + below.fileId()
                        + "') earlier in the file";
            }
            for (String dir : directoriesOf(path)) {
                String fileOwner = idByPathInFile.get(dir);
                if (fileOwner != null) {
                    return "path '" + path + "' lies below '" + dir + "', the path of id '" + fileOwner
                            + "' earlier in the file";
                }
            }
            return null;
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            Instant now = clock.instant();
            Set<String> dirs = new HashSet<>();
            pending.forEach(entry -> dirs.addAll(directoriesOf(entry.stagingPath().value())));
            Map<String, String> idByPathInDb = new HashMap<>();
            List<String> lookups = new ArrayList<>(dirs);
            pending.forEach(entry -> lookups.add(entry.stagingPath().value()));
            for (CatalogEntry existing : dao.findByStagingPaths(lookups)) {
                idByPathInDb.put(existing.stagingPath().value(), existing.fileId());
            }
            List<CatalogRow> rows = new ArrayList<>();
            for (int i = 0; i < pending.size(); i++) {
                CatalogEntry entry = pending.get(i);
                String problem = clashInDatabase(entry, idByPathInDb);
                if (problem != null) {
                    rejected.add(new Rejection(pendingRaw.get(i).location(), pendingRaw.get(i).id(), problem));
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
            pending.clear();
            pendingRaw.clear();
        }

        private String clashInDatabase(CatalogEntry entry, Map<String, String> idByPathInDb) {
            String path = entry.stagingPath().value();
            String owner = idByPathInDb.get(path);
            if (owner != null) {
                return owner.equals(entry.fileId()) ? null
                        : "path '" + path + "' already belongs to id '" + owner + "' in the catalog";
            }
            for (String dir : directoriesOf(path)) {
                String fileOwner = idByPathInDb.get(dir);
                if (fileOwner != null && !fileOwner.equals(entry.fileId())) {
                    return "path '" + path + "' lies below '" + dir + "', the path of id '" + fileOwner + "' in the catalog";
                }
            }
            // Only for a path new to the catalog: a path already there was checked when it came.
            Optional<CatalogEntry> below = postgres ? dao.firstBelowPostgres(path) : dao.firstBelow(path);
            if (below.isPresent() && !below.get().fileId().equals(entry.fileId())) {
                return "path '" + path + "' is a directory of '" + below.get().stagingPath() + "' (id '"
                        + below.get().fileId() + "') in the catalog";
            }
            return null;
        }
    }

    /** The directories a path lies in, nearest the root first: {@code a/b/c} gives {@code a}, {@code a/b}. */
    static List<String> directoriesOf(String path) {
        List<String> dirs = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            dirs.add(path.substring(0, slash));
        }
        return dirs;
    }
}
