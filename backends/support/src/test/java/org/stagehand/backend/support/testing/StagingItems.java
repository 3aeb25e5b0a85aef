package org.stagehand.backend.support.testing;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingItem;

/**
 * Builds {@link StagingItem}s for backend tests: {@code StagingItems.item("f1").location("a/b.dat")
 * .in(stagingRoot).build()}. Unset parts: the location is the file ID, the staging path
 * {@code staged/<fileId>}, the temporary file {@code .<fileId>.part} in the staging root (or in
 * {@code /staging}), no size, no checksum, first attempt.
 */
public final class StagingItems {

    private final String fileId;
    private String location;
    private String stagingPath;
    private Path stagingRoot = Path.of("/staging");
    private Path temporaryFile;
    private OptionalLong expectedBytes = OptionalLong.empty();
    private Optional<Checksum> expectedChecksum = Optional.empty();
    private int attempt = 1;

    private StagingItems(String fileId) {
        this.fileId = fileId;
    }

    public static StagingItems item(String fileId) {
        return new StagingItems(fileId);
    }

    /** The same file again, as the service hands it for a retry. */
    public static StagingItem retryOf(StagingItem item) {
        return new StagingItem(item.fileId(), item.archiveLocation(), item.stagingPath(), item.temporaryFile(),
                item.expectedBytes(), item.expectedChecksum(), item.attempt() + 1);
    }

    public StagingItems location(String archiveLocation) {
        this.location = archiveLocation;
        return this;
    }

    public StagingItems stagingPath(String path) {
        this.stagingPath = path;
        return this;
    }

    /** The staging root the default temporary file lies in. */
    public StagingItems in(Path root) {
        this.stagingRoot = root;
        return this;
    }

    public StagingItems temporaryFile(Path file) {
        this.temporaryFile = file;
        return this;
    }

    public StagingItems expectedBytes(long bytes) {
        this.expectedBytes = OptionalLong.of(bytes);
        return this;
    }

    public StagingItems expectedChecksum(Checksum checksum) {
        this.expectedChecksum = Optional.ofNullable(checksum);
        return this;
    }

    public StagingItems expectedChecksum(Optional<Checksum> checksum) {
        this.expectedChecksum = checksum;
        return this;
    }

    public StagingItems attempt(int number) {
        this.attempt = number;
        return this;
    }

    public StagingItem build() {
        return new StagingItem(fileId, location == null ? fileId : location,
                stagingPath == null ? "staged/" + fileId : stagingPath,
                temporaryFile == null ? stagingRoot.resolve("." + fileId + ".part") : temporaryFile,
                expectedBytes, expectedChecksum, attempt);
    }
}
