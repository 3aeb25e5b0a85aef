package org.stagehand.backend;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An optional capability of an {@link ArchiveBackend}: saying on which tape volume, and where on
 * it, each file lies, so that the service plans its whole queue by volume instead of by batch.
 *
 * <p>With it (and {@code work.tape.scheduling: VOLUMES}, the default), the service asks where each
 * newly queued file lies, keeps the answer with the file's work row, and hands {@link
 * ArchiveBackend#stage} the due files of one volume together as one {@link StagingBatch}: every
 * due file of the volume, not capped by {@code work.workers} or {@code work.maxBatchSize} (only by
 * {@code work.tape.maxFilesPerMount}). The service decides which volumes to mount next (its mount
 * policy, {@code work.tape.*}) and keeps at most {@link #maxSessions()} volume batches running on
 * an instance; a volume is worked on by one instance at a time, whichever instances share the
 * database. Files placed on no volume (on disk, or the archive cannot tell) are staged as without
 * this capability, in batches of {@code work.maxBatchSize}.
 *
 * <p>The place is a hint for planning only: a backend still checks where each file of a batch
 * lies when it stages it (a file may have moved since it was located).
 */
public interface LocatesOnTape {

    /**
     * Where these files lie. Called on a thread of the service's own (never the claim thread, which
     * goes on meanwhile), outside any batch, with up to 1,000 locations at a time; keep it to a few
     * calls of the archive's tool. The thread is interrupted when the service stops.
     *
     * @param archiveLocations locations as the catalog gives them ({@link StagingItem#archiveLocation()})
     * @return a place for each location the archive could tell about; a location left out is
     *     staged without tape planning
     * @throws IOException when the archive cannot say now; the files are then staged without tape
     *     planning
     * @throws InterruptedException when the service is stopping
     */
    Map<String, TapePlace> locate(Collection<String> archiveLocations) throws IOException, InterruptedException;

    /**
     * How many volumes this backend may have mounted at once on one instance: the tape drives
     * (or tool sessions) it may use. The service runs at most this many volume batches at a time.
     */
    int maxSessions();

    /**
     * Where a file lies.
     *
     * @param volume the tape volume's label; empty when the file can be read without a mount (the
     *     archive's disk cache)
     * @param position where on the volume, in the archive's own units: reading in ascending
     *     (position, offset) order reads the volume front to back
     * @param offset a finer place at the same position (HPSS: a file inside an aggregate); 0 when
     *     the archive has none
     */
    record TapePlace(Optional<String> volume, long position, long offset) {

        public TapePlace {
            Objects.requireNonNull(volume, "volume");
        }

        /** A file on tape {@code volume} at {@code position}+{@code offset}. */
        public static TapePlace onTape(String volume, long position, long offset) {
            return new TapePlace(Optional.of(volume), position, offset);
        }

        /** A file the archive can deliver without a mount. */
        public static TapePlace onDisk() {
            return new TapePlace(Optional.empty(), 0, 0);
        }
    }
}
