package org.stagehand.backend.hsm;

/** Where an HSM says a file's data is, as far as staging cares. */
enum HsmFileState {
    /** The data is on disk: the file can be copied now. */
    ONLINE,
    /** The data is on tape only: the file must be recalled. */
    OFFLINE,
    /** A recall is already under way: wait, do not recall again. */
    RECALLING,
    /** The archive copy is lost or damaged: staging cannot succeed. */
    LOST,
    /** The state text matched none of the configured patterns. */
    UNRECOGNIZED
}
