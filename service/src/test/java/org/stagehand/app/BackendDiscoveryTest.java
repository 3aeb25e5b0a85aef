package org.stagehand.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.DiscoverableSubtypeResolver;
import io.dropwizard.jackson.Jackson;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.hpss.HpssBackendFactory;
import org.stagehand.backend.jdp.JdpBackendFactory;
import org.stagehand.backend.posix.PosixBackendFactory;
import org.stagehand.testing.RecordingBackendFactory;

/**
 * Backends are found through META-INF/services, where a typo fails silently: prove that the
 * shipped POSIX, HPSS and JDP backends and a plugin that exists only in test sources are all discovered.
 */
class BackendDiscoveryTest {

    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());

    @Test
    void discoversTheShippedBackendsAndATestOnlyPlugin() {
        assertThat(new DiscoverableSubtypeResolver().getDiscoveredSubtypes())
                .contains(PosixBackendFactory.class, HpssBackendFactory.class, JdpBackendFactory.class,
                        RecordingBackendFactory.class);
    }

    @Test
    void posixTypeInConfigurationBuildsThePosixFactory() throws Exception {
        ArchiveBackendFactory factory = yaml.readValue("type: posix\nroot: /archive\n", ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOf(PosixBackendFactory.class);
        assertThat(((PosixBackendFactory) factory).getRoot()).isEqualTo("/archive");
    }

    @Test
    void hpssTypeInConfigurationBuildsTheHpssFactory() throws Exception {
        ArchiveBackendFactory factory = yaml.readValue("type: hpss\narchiveRoot: /home/p/project\nmaxSessions: 6\n",
                ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOf(HpssBackendFactory.class);
        assertThat(((HpssBackendFactory) factory).getArchiveRoot()).isEqualTo("/home/p/project");
        assertThat(((HpssBackendFactory) factory).getMaxSessions()).isEqualTo(6);
    }

    @Test
    void pluginTypeInConfigurationBuildsThePluginFactory() throws Exception {
        ArchiveBackendFactory factory = yaml.readValue("type: recording\nroot: /r\nname: n\n", ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOf(RecordingBackendFactory.class);
        assertThat(((RecordingBackendFactory) factory).getName()).isEqualTo("n");
    }
}
