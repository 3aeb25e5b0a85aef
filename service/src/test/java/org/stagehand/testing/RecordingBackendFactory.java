package org.stagehand.testing;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;

/**
 * A backend that lives only in test sources, discovered like any third-party plugin through its own
 * {@code META-INF/services} entry: it copies from a directory and records what it was asked to do,
 * under a {@code name} that tests use to find its {@link RecordingBackend.Recorder}.
 */
@JsonTypeName("recording")
public class RecordingBackendFactory implements ArchiveBackendFactory {

    @NotEmpty
    private String root;

    @NotEmpty
    private String name;

    @JsonProperty
    public String getRoot() {
        return root;
    }

    @JsonProperty
    public void setRoot(String root) {
        this.root = root;
    }

    @JsonProperty
    public String getName() {
        return name;
    }

    @JsonProperty
    public void setName(String name) {
        this.name = name;
    }

    @Override
    public ArchiveBackend build(BackendContext context) {
        return new RecordingBackend(Path.of(root), RecordingBackend.recorder(name));
    }
}
