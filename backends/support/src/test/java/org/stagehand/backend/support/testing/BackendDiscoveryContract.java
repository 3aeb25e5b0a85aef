package org.stagehand.backend.support.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.DiscoverableSubtypeResolver;
import io.dropwizard.jackson.Jackson;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.ArchiveBackendFactory;

/**
 * What every backend plugin proves about its discovery: its factory is listed in
 * {@code META-INF/services/org.stagehand.backend.ArchiveBackendFactory} (a typo there makes the type
 * silently unknown), the SPI's {@code io.dropwizard.jackson.Discoverable} entry makes Dropwizard
 * look there, and {@code type: <name>} binds to the factory. A backend's discovery test extends
 * this, naming its factory, its type and a minimal section.
 */
public abstract class BackendDiscoveryContract {

    private final Class<? extends ArchiveBackendFactory> factoryClass;
    private final String typeName;
    private final String minimalSection;

    /**
     * @param factoryClass the plugin's factory class
     * @param typeName the section's {@code type} value
     * @param minimalSection a section, in YAML, with the type and the keys the factory requires
     */
    protected BackendDiscoveryContract(Class<? extends ArchiveBackendFactory> factoryClass, String typeName,
            String minimalSection) {
        this.factoryClass = factoryClass;
        this.typeName = typeName;
        this.minimalSection = minimalSection;
    }

    /** The service's way of reading the backend section. */
    protected static final ObjectMapper YAML = Jackson.newObjectMapper(new YAMLFactory());

    /** Reads a YAML backend section as the service does. */
    protected static ArchiveBackendFactory read(String section) throws Exception {
        return YAML.readValue(section, ArchiveBackendFactory.class);
    }

    @Test
    void serviceLoaderFindsTheFactory() {
        assertThat(ServiceLoader.load(ArchiveBackendFactory.class).stream().map(ServiceLoader.Provider::type))
                .contains(factoryClass);
    }

    @Test
    void factoryIsADiscoveredSubtype() {
        assertThat(new DiscoverableSubtypeResolver().getDiscoveredSubtypes()).contains(factoryClass);
    }

    @Test
    void sectionWithTheTypeBindsToTheFactory() throws Exception {
        assertThat(minimalSection).contains(typeName);

        assertThat(read(minimalSection)).isInstanceOf(factoryClass);
    }

    @Test
    void misspelledTypeIsRefused() {
        assertThatThrownBy(() -> read(minimalSection.replace(typeName, typeName + "x")))
                .isInstanceOf(InvalidTypeIdException.class);
    }
}
