package org.stagehand.backend.hpss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.validation.BaseValidator;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackendFactory;

/** How the service finds, reads and validates the {@code hpss} backend section. */
class HpssBackendFactoryTest {

    /** The shape of the service's configuration, as far as the backend is concerned. */
    public static class ServiceConfiguration {
        @Valid
        @NotNull
        @JsonProperty
        public ArchiveBackendFactory backend;
    }

    @TempDir
    Path temp;

    private static ServiceConfiguration parse(String yaml) throws Exception {
        YamlConfigurationFactory<ServiceConfiguration> factory = new YamlConfigurationFactory<>(
                ServiceConfiguration.class, BaseValidator.newValidator(), Jackson.newObjectMapper(), "dw");
        return factory.build(path -> new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "config.yml");
    }

    @Test
    void yamlWithTypeHpssBindsEveryKeyToTheFactory() throws Exception {
        ServiceConfiguration configuration = parse("""
                backend:
                  type: hpss
                  hsiPath: /opt/hpss/bin/hsi
                  hsiArguments: [-A, keytab, -k, /etc/stagehand/hpss.keytab, -l, stagehand]
                  environment:
                    HPSS_NET_FAMILY: ipv4_only
                  archiveRoot: /home/p/project
                  maxSessions: 15
                  batchWindow: 2 minutes
                  listTimeout: 90 seconds
                  fetchIdleTimeout: 45 minutes
                  maxPathsPerListing: 100
                  maxCommandLineBytes: 2000
                  commandDirectory: /var/lib/stagehand/hsi
                  diskVolumePattern: "DK.*"
                """);

        assertThat(configuration.backend).isInstanceOf(HpssBackendFactory.class);
        HpssBackendFactory hpss = (HpssBackendFactory) configuration.backend;
        assertThat(hpss.getHsiPath()).isEqualTo("/opt/hpss/bin/hsi");
        assertThat(hpss.getHsiArguments()).containsExactly("-A", "keytab", "-k", "/etc/stagehand/hpss.keytab", "-l", "stagehand");
        assertThat(hpss.getEnvironment()).containsEntry("HPSS_NET_FAMILY", "ipv4_only");
        assertThat(hpss.getArchiveRoot()).isEqualTo("/home/p/project");
        assertThat(hpss.getMaxSessions()).isEqualTo(15);
        assertThat(hpss.getBatchWindow().toJavaDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(hpss.getListTimeout().toJavaDuration()).isEqualTo(Duration.ofSeconds(90));
        assertThat(hpss.getFetchIdleTimeout().toJavaDuration()).isEqualTo(Duration.ofMinutes(45));
        assertThat(hpss.getMaxPathsPerListing()).isEqualTo(100);
        assertThat(hpss.getMaxCommandLineBytes()).isEqualTo(2000);
        assertThat(hpss.getCommandDirectory()).isEqualTo("/var/lib/stagehand/hsi");
        assertThat(hpss.getDiskVolumePattern()).isEqualTo("DK.*");
    }

    @Test
    void jsonWithTypeHpssReadsIntoTheFactoryWithDefaults() throws Exception {
        ObjectMapper mapper = Jackson.newObjectMapper();

        ArchiveBackendFactory factory = mapper.readValue("{\"type\": \"hpss\", \"archiveRoot\": \"/a\"}", ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOf(HpssBackendFactory.class);
        HpssBackendFactory hpss = (HpssBackendFactory) factory;
        assertThat(hpss.getHsiPath()).isEqualTo("hsi");
        assertThat(hpss.getMaxSessions()).isEqualTo(4);
        assertThat(hpss.getBatchWindow().toJavaDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(hpss.getMaxCommandLineBytes()).isEqualTo(2_900);
    }

    @Test
    void validationNamesAMissingArchiveRoot() {
        assertThatThrownBy(() -> parse("backend:\n  type: hpss\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("backend.archiveRoot");
    }

    @Test
    void validationRefusesZeroSessions() {
        assertThatThrownBy(() -> parse("backend:\n  type: hpss\n  archiveRoot: /a\n  maxSessions: 0\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("backend.maxSessions");
    }

    @Test
    void buildNamesTheKeyAtFault() throws Exception {
        HsiStandIn hpss = new HsiStandIn(temp);

        HpssBackendFactory missingHsi = hpss.factory();
        missingHsi.setHsiPath(temp.resolve("no-such-hsi").toString());
        assertThatThrownBy(() -> hpss.build(missingHsi)).hasMessageStartingWith("backend.hsiPath:");

        HpssBackendFactory hsiNotOnPath = hpss.factory();
        hsiNotOnPath.setHsiPath("hsi-that-is-on-no-path");
        assertThatThrownBy(() -> hpss.build(hsiNotOnPath)).hasMessageStartingWith("backend.hsiPath:");

        HpssBackendFactory relativeRoot = hpss.factory();
        relativeRoot.setArchiveRoot("home/p/project");
        assertThatThrownBy(() -> hpss.build(relativeRoot)).hasMessageStartingWith("backend.archiveRoot:");

        HpssBackendFactory badPattern = hpss.factory();
        badPattern.setDiskVolumePattern("DK[");
        assertThatThrownBy(() -> hpss.build(badPattern)).hasMessageStartingWith("backend.diskVolumePattern:");
    }

    @Test
    void validationNamesAZeroTimeoutAndAcceptsAZeroBatchWindow() throws Exception {
        assertThatThrownBy(() -> parse("backend:\n  type: hpss\n  archiveRoot: /a\n  listTimeout: 0s\n"))
                .isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("backend.listTimeout");

        assertThat(parse("backend:\n  type: hpss\n  archiveRoot: /a\n  batchWindow: 0s\n").backend)
                .isInstanceOf(HpssBackendFactory.class);
    }
}
