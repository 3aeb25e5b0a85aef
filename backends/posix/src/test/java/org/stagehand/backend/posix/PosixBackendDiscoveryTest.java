package org.stagehand.backend.posix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.support.testing.BackendDiscoveryContract;

/** The {@code posix} type is found through META-INF/services and binds from configuration. */
class PosixBackendDiscoveryTest extends BackendDiscoveryContract {

    PosixBackendDiscoveryTest() {
        super(PosixBackendFactory.class, "posix", "{type: posix, root: /x}");
    }

    @Test
    void jsonWithTypePosixBindsToThePosixFactory() throws Exception {
        ArchiveBackendFactory factory = Jackson.newObjectMapper()
                .readValue("{\"type\":\"posix\",\"root\":\"/x\"}", ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOfSatisfying(PosixBackendFactory.class,
                posix -> assertThat(posix.getRoot()).isEqualTo("/x"));
    }

    @Test
    void yamlBackendSectionBindsEveryKey() throws Exception {
        ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
        String section = """
                type: posix
                root: /mnt/archive
                preserveModificationTime: false
                bufferBytes: 65536
                """;

        ArchiveBackendFactory factory = yaml.readValue(section, ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOfSatisfying(PosixBackendFactory.class, posix -> {
            assertThat(posix.getRoot()).isEqualTo("/mnt/archive");
            assertThat(posix.isPreserveModificationTime()).isFalse();
            assertThat(posix.getBufferBytes()).isEqualTo(65536);
        });
    }
}
