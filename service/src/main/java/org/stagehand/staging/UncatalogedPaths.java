package org.stagehand.staging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.area.RelativePath;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.DescribesPaths;
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
     * Catalog entries for the files the archive holds at these paths. A path the archive cannot
     * answer for now gets an error in {@code errors} (and no entry).
     */
    List<CatalogEntry> discover(List<String> paths, Map<String, String> errors) {
        List<CatalogEntry> found = new ArrayList<>();
        for (String path : paths) {
            try {
                archive.describe(path).ifPresent(file -> found.add(new CatalogEntry(idOf(path), new RelativePath(path),
                        path, OptionalLong.of(file.bytes()), file.checksum())));
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot look {} up in the archive: {}", path, e.toString());
                errors.put(path, "the archive cannot say now whether " + path + " exists; try again later");
            }
        }
        return found;
    }

    /** Whether the archive holds a file at this path (false when it cannot say). */
    boolean exists(String path) {
        try {
            return archive.describe(path).isPresent();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The catalog ID of a file found by path: stable, and apart from imported IDs. */
    static String idOf(String path) {
        byte[] digest = Checksum.newDigest("sha256").digest(path.getBytes(StandardCharsets.UTF_8));
        return "path:" + HexFormat.of().formatHex(digest, 0, 16);
    }
}
