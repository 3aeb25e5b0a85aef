package org.stagehand.backend;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dropwizard.jackson.Discoverable;

/**
 * Builds an {@link ArchiveBackend} from the {@code backend:} section of the configuration.
 *
 * <p>Implementations are Jackson beans: their properties are the backend's configuration keys,
 * their {@code @JsonTypeName} is the value of {@code backend.type}. They are discovered with
 * {@link java.util.ServiceLoader}: list the implementation's binary name in
 * {@code META-INF/services/org.stagehand.backend.ArchiveBackendFactory} inside the plugin jar.
 * A typo there makes the type silently unknown, so a plugin should test that its type is discovered.
 *
 * <p>Annotate required properties with Jakarta validation constraints ({@code @NotNull} and the
 * like): the service validates the configuration before it calls {@link #build}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
public interface ArchiveBackendFactory extends Discoverable {

    /**
     * Creates the backend. Called once at start-up; the returned backend is closed at shutdown.
     *
     * @param context what the service lends the backend: staging root, metrics, JSON mapper
     * @return a ready backend
     * @throws Exception when the configuration cannot work (a missing root, an unusable tool);
     *     the message should name the configuration key at fault, it is shown to the operator
     */
    ArchiveBackend build(BackendContext context) throws Exception;
}
