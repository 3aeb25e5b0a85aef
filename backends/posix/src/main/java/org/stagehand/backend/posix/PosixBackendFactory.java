package org.stagehand.backend.posix;

import com.fasterxml.jackson.annotation.JsonTypeName;
import java.io.IOException;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.support.FileTreeBackendFactory;

/**
 * {@code backend: {type: posix, root: /archive}}: the archive is a directory tree (a mounted file
 * system, an HSM whose files are online); a catalog entry's archive location is a path below
 * {@code root}. Its keys ({@code root}, {@code preserveModificationTime}, {@code bufferBytes}) are
 * those of every directory-tree backend.
 */
@JsonTypeName("posix")
public class PosixBackendFactory extends FileTreeBackendFactory {

    @Override
    public ArchiveBackend build(BackendContext context) throws IOException {
        return new PosixBackend(copier());
    }
}
