package org.stagehand.backend.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import java.io.IOException;
import org.stagehand.backend.ArchiveBackendFactory;

/**
 * The keys of every backend whose archive is a directory tree that files are copied from
 * ({@code posix}, {@code hsm}), and the copier they configure. A backend's factory extends this
 * and adds only its own keys (as Dropwizard's appender factories share AbstractAppenderFactory).
 */
public abstract class FileTreeBackendFactory implements ArchiveBackendFactory {

    @NotEmpty
    private String root;

    private boolean preserveModificationTime = true;

    @Min(4096)
    private int bufferBytes = 1 << 20;

    /**
     * The copier for {@code root}, checked to be a readable directory.
     *
     * @throws IllegalArgumentException naming {@code backend.root} when it is not
     */
    protected ArchiveFileCopier copier() throws IOException {
        return new ArchiveFileCopier(ConfiguredDirectories.readable("backend.root", root), preserveModificationTime,
                bufferBytes);
    }

    /** The archive root: catalog locations are paths below it. Required. */
    @JsonProperty
    public String getRoot() {
        return root;
    }

    @JsonProperty
    public void setRoot(String root) {
        this.root = root;
    }

    /** Whether a staged copy gets the archive file's modification time (default true). */
    @JsonProperty
    public boolean isPreserveModificationTime() {
        return preserveModificationTime;
    }

    @JsonProperty
    public void setPreserveModificationTime(boolean preserveModificationTime) {
        this.preserveModificationTime = preserveModificationTime;
    }

    /** The read buffer while a copy is hashed on the way (default 1 MiB, at least 4096). */
    @JsonProperty
    public int getBufferBytes() {
        return bufferBytes;
    }

    @JsonProperty
    public void setBufferBytes(int bufferBytes) {
        this.bufferBytes = bufferBytes;
    }
}
