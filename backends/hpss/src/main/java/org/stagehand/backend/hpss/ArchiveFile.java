package org.stagehand.backend.hpss;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Where HPSS keeps a file, from its {@code ls -P} line.
 *
 * @param path the file's absolute HPSS path
 * @param size its size in bytes
 * @param volume the tape volume (first six characters of the label), empty when the file is on
 *     HPSS's disk cache and needs no mount
 * @param position the tape section the file starts in
 * @param offset where the file starts within that section
 */
record ArchiveFile(String path, long size, Optional<String> volume, long position, long offset) {

    /** Tape order: by position, then offset, then path so the order is total. */
    static final Comparator<ArchiveFile> TAPE_ORDER = Comparator.comparingLong(ArchiveFile::position)
            .thenComparingLong(ArchiveFile::offset)
            .thenComparing(ArchiveFile::path);

    ArchiveFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(volume, "volume");
    }

    boolean isDiskResident() {
        return volume.isEmpty();
    }
}
