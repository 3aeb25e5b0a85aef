package org.stagehand.backend.hsm;

import com.codahale.metrics.Counter;
import org.stagehand.backend.MountListener;
import org.stagehand.backend.support.ArchiveFileCopier;

/**
 * What the HSM backend stages with, built once from the configuration and lent to each batch.
 *
 * @param copier copies online files out of the archive root
 * @param states the state query (the preset's or the configured command)
 * @param runner starts the recall commands
 * @param recall how recalls are made and waited for
 * @param recallCalls counts recall commands started
 * @param recalledFiles counts the files they were given
 * @param mounts told of each volume a recall call needs, when the state tool says which
 */
record HsmTools(ArchiveFileCopier copier, StateQuery states, CommandRunner runner, RecallSettings recall,
        Counter recallCalls, Counter recalledFiles, MountListener mounts) {
}
