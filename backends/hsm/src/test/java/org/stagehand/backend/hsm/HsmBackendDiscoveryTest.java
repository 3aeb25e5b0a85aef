package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.util.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.support.testing.BackendDiscoveryContract;

/** The {@code hsm} type is found through META-INF/services and binds from configuration. */
class HsmBackendDiscoveryTest extends BackendDiscoveryContract {

    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());

    HsmBackendDiscoveryTest() {
        super(HsmBackendFactory.class, "hsm", "{type: hsm, preset: dmf, root: /dmf/archive}");
    }

    @Test
    void dmfPresetSectionBindsToTheHsmFactory() throws Exception {
        ArchiveBackendFactory factory = Jackson.newObjectMapper()
                .readValue("{\"type\":\"hsm\",\"preset\":\"dmf\",\"root\":\"/dmf/archive\"}", ArchiveBackendFactory.class);

        assertThat(factory).isInstanceOfSatisfying(HsmBackendFactory.class, hsm -> {
            assertThat(hsm.getPreset()).isEqualTo(HsmPreset.DMF);
            assertThat(hsm.getRoot()).isEqualTo("/dmf/archive");
        });
    }

    @Test
    void yamlSectionBindsEveryKey() throws Exception {
        String section = """
                type: hsm
                preset: spectrum
                root: /gpfs/fs1/archive
                fileSystems: [/gpfs/fs1]
                commands: {dsmls: /opt/tivoli/tsm/client/hsm/bin/dsmls}
                environment: {DSM_CONFIG: /etc/adsm/dsm.opt}
                permanentRecallExitCodes: [12]
                pollInterval: 10s
                recallTimeout: 2h
                commandTimeout: 1m
                maxFilesPerRecall: 200
                maxFilesPerStateQuery: 50
                workDirectory: /var/tmp
                preserveModificationTime: false
                bufferBytes: 65536
                """;

        HsmBackendFactory hsm = (HsmBackendFactory) yaml.readValue(section, ArchiveBackendFactory.class);

        assertThat(hsm.getPreset()).isEqualTo(HsmPreset.SPECTRUM);
        assertThat(hsm.getFileSystems()).containsExactly("/gpfs/fs1");
        assertThat(hsm.getCommands()).containsEntry("dsmls", "/opt/tivoli/tsm/client/hsm/bin/dsmls");
        assertThat(hsm.getEnvironment()).isEqualTo(Map.of("DSM_CONFIG", "/etc/adsm/dsm.opt"));
        assertThat(hsm.getPermanentRecallExitCodes()).isEqualTo(Set.of(12));
        assertThat(hsm.getPollInterval()).isEqualTo(Duration.seconds(10));
        assertThat(hsm.getRecallTimeout()).isEqualTo(Duration.hours(2));
        assertThat(hsm.getCommandTimeout()).isEqualTo(Duration.minutes(1));
        assertThat(hsm.getMaxFilesPerRecall()).isEqualTo(200);
        assertThat(hsm.getMaxFilesPerStateQuery()).isEqualTo(50);
        assertThat(hsm.getWorkDirectory()).isEqualTo("/var/tmp");
        assertThat(hsm.isPreserveModificationTime()).isFalse();
        assertThat(hsm.getBufferBytes()).isEqualTo(65536);
    }

    @Test
    void customSectionBindsCommandsAndPatterns() throws Exception {
        String section = """
                type: hsm
                preset: custom
                root: /hsm
                stateCommand: [/opt/hsm/bin/hsmstate, "{files}"]
                statePattern: '^(?<state>\\w+) (?<path>/.*)$'
                onlinePattern: '^online$'
                offlinePattern: '^tape$'
                recallingPattern: '^recalling$'
                lostPattern: '^lost$'
                recallCommand: [/opt/hsm/bin/hsmrecall, "--list={fileList}", "{fileSystem}"]
                """;

        HsmBackendFactory hsm = (HsmBackendFactory) yaml.readValue(section, ArchiveBackendFactory.class);

        assertThat(hsm.getPreset()).isEqualTo(HsmPreset.CUSTOM);
        assertThat(hsm.getStateCommand()).containsExactly("/opt/hsm/bin/hsmstate", "{files}");
        assertThat(hsm.getStatePattern()).isEqualTo("^(?<state>\\w+) (?<path>/.*)$");
        assertThat(hsm.getOnlinePattern()).isEqualTo("^online$");
        assertThat(hsm.getOfflinePattern()).isEqualTo("^tape$");
        assertThat(hsm.getRecallingPattern()).isEqualTo("^recalling$");
        assertThat(hsm.getLostPattern()).isEqualTo("^lost$");
        assertThat(hsm.getRecallCommand()).isEqualTo(List.of("/opt/hsm/bin/hsmrecall", "--list={fileList}", "{fileSystem}"));
    }

    @Test
    void presetNamesAreReadWhateverTheirCase() throws Exception {
        for (String name : List.of("dmf", "DMF", "Lustre", "samqfs", "SPECTRUM", "custom")) {
            HsmBackendFactory hsm = (HsmBackendFactory) yaml.readValue(
                    "{type: hsm, root: /x, preset: " + name + "}", ArchiveBackendFactory.class);
            assertThat(hsm.getPreset().configName()).isEqualToIgnoringCase(name);
        }
    }

    @Test
    void unknownPresetIsRefused() {
        assertThatThrownBy(() -> yaml.readValue("{type: hsm, root: /x, preset: hpss}", ArchiveBackendFactory.class))
                .hasMessageContaining("hpss");
    }
}
