package org.stagehand.requests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.DescribesPaths.ArchivedFile;
import org.stagehand.catalog.CatalogEntry;

/**
 * Paths that are not in the catalog, looked up in the archive through the backend
 * ({@code tapeRest.resolveUnknownPaths}): a file found there is cataloged under an ID derived from
 * its path, with its archive location equal to its path, and then staged like any other.
 */
final class UncatalogedPaths {

    private static final Logger LOG = LoggerFactory.getLogger(UncatalogedPaths.class);

    private final DescribesPaths archive;

    UncatalogedPaths(DescribesPaths archive) {
        this.archive = archive;
    }

    /**
     * Catalog entries for the files the archive holds at these paths, asked of it in one go. A path
     * the archive cannot answer for now gets an error in {@code errors} (and no entry).
     */
    List<CatalogEntry> discover(List<String> paths, Map<String, String> errors) {
        List<CatalogEntry> found = new ArrayList<>();
        Map<String, Optional<ArchivedFile>> answers = lookUp(paths);
        for (String path : paths) {
            Optional<ArchivedFile> answer = answers.get(path);
            if (answer == null) {
                errors.put(path, "the archive cannot say now whether " + path + " exists; try again later");
            } else {
                answer.ifPresent(file -> found.add(new CatalogEntry(idOf(path), new RelativePath(path),
                        path, OptionalLong.of(file.bytes()), file.checksum())));
            }
        }
        return found;
    }

    /**
     * Where the archive holds each of these paths: {@link Locality#ARCHIVE}, {@link Locality#LOST}
     * when it says its copy is lost, {@link Locality#ARCHIVE_CANNOT_SAY} when it cannot answer now;
     * a path with no file is left out.
     */
    Map<String, Locality> localities(Collection<String> paths) {
        Map<String, Locality> localities = new HashMap<>();
        Map<String, Optional<ArchivedFile>> answers = lookUp(paths);
        for (String path : paths) {
            Optional<ArchivedFile> answer = answers.get(path);
            if (answer == null) {
                localities.put(path, Locality.ARCHIVE_CANNOT_SAY);
            } else {
                answer.ifPresent(file -> localities.put(path, file.locality() == DescribesPaths.Locality.LOST
                        ? Locality.LOST : Locality.ARCHIVE));
            }
        }
        return localities;
    }

    /** The archive's answers; a path it could not answer for is left out. */
    private Map<String, Optional<ArchivedFile>> lookUp(Collection<String> paths) {
        if (paths.isEmpty()) {
            return Map.of();
        }
        try {
            return archive.describeAll(paths);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot look {} path(s) up in the archive: {}", paths.size(), e.toString());
            return Map.of();
        }
    }

    /** The catalog ID of a file found by path: stable, and apart from imported IDs. */
    static String idOf(String path) {
        byte[] digest = Checksum.newDigest("sha256").digest(path.getBytes(StandardCharsets.UTF_8));
        return "path:" + HexFormat.of().formatHex(digest, 0, 16);
    }
}
