/**
 * The {@code hsm} backend: stages from a file system fronted by a hierarchical storage manager
 * (DMF, IBM Storage Protect, Lustre HSM, SAM-QFS or one described in configuration). It asks the
 * HSM's state command where a batch's files are, recalls the offline ones with one call per file
 * system, polls until they are online and copies them as the POSIX backend does, with
 * {@link org.stagehand.backend.support.ArchiveFileCopier}.
 */
package org.stagehand.backend.hsm;
