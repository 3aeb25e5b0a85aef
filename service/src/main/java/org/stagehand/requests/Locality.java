package org.stagehand.requests;

/** Where a file named by path is: what the Tape REST {@code archiveinfo} reports. */
public enum Locality {
    /** No catalog file has this path. */
    UNKNOWN,
    /** In the archive only. */
    ARCHIVE,
    /** In the archive, and a verified copy is in the staging area. */
    ARCHIVE_AND_STAGED,
    /** Not in the catalog, and the archive says its copy is lost ({@code tapeRest.resolveUnknownPaths}). */
    LOST,
    /** Not in the catalog, and the archive cannot say now whether it holds the file ({@code tapeRest.resolveUnknownPaths}). */
    ARCHIVE_CANNOT_SAY
}
