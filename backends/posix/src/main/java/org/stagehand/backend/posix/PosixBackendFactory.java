package org.stagehand.backend.posix;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;

/**
 * {@code backend: {type: posix, root: /archive}}: the archive is a directory tree (a mounted file
 * system, an HSM whose files are online); a catalog entry's archive location is a path below
 * {@code root}.
 */
@JsonTypeName("posix")
public class PosixBackendFactory implements ArchiveBackendFactory {

    @NotEmpty
    private String root;

    private boolean preserveModificationTime = true;

    @Min(4096)
    private int bufferBytes = 1 << 20;

    @JsonProperty
    public String getRoot() {
        return root;
    }

    @JsonProperty
    public void setRoot(String root) {
        this.root = root;
    }

    @JsonProperty
    public boolean isPreserveModificationTime() {
        return preserveModificationTime;
    }

    @JsonProperty
    public void setPreserveModificationTime(boolean preserveModificationTime) {
        this.preserveModificationTime = preserveModificationTime;
    }

    @JsonProperty
    public int getBufferBytes() {
        return bufferBytes;
    }

    @JsonProperty
    public void setBufferBytes(int bufferBytes) {
        this.bufferBytes = bufferBytes;
    }

    @Override
    public ArchiveBackend build(BackendContext context) throws IOException {
        Path path = Path.of(root);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException("backend.root: " + path.toAbsolutePath() + " is not a directory");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("backend.root: " + path.toAbsolutePath() + " is not readable");
        }
        return new PosixBackend(path.toRealPath(), preserveModificationTime, bufferBytes);
    }
}
