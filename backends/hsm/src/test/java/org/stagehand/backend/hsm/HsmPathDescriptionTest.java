package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.DescribesPaths.ArchivedFile;
import org.stagehand.backend.DescribesPaths.Locality;

/** Each preset says where a file's data is with its own state query, against its stand-in tool (real processes). */
class HsmPathDescriptionTest {

    @TempDir
    Path base;

    private ArchiveBackend backend(HsmBackendFactory factory) throws IOException {
        Path staging = Files.createDirectories(base.resolve("staging")).toRealPath();
        return factory.build(new BackendContext("stagehand-test", staging, new MetricRegistry(), new ObjectMapper()));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Locality neverMigrated(HsmPreset preset) {
        // the SAM-QFS stand-in shows every file archived (archdone), as a site archiving everything does
        return preset == HsmPreset.SAMQFS ? Locality.DISK_AND_TAPE : Locality.DISK;
    }

    private static Locality lost(HsmPreset preset) {
        // dmls and dsmls do not show a lost tape copy: the file reads as on tape
        return preset == HsmPreset.LUSTRE || preset == HsmPreset.SAMQFS ? Locality.LOST : Locality.TAPE;
    }

    @ParameterizedTest
    @EnumSource(value = HsmPreset.class, names = {"DMF", "SPECTRUM", "LUSTRE", "SAMQFS"})
    void eachPresetTellsTapeFromDiskInOneStateQuery(HsmPreset preset) throws Exception {
        FakeHsm hsm = new FakeHsm(preset, base.resolve("hsm"));
        hsm.onlineFile("d/resident", bytes("resident data"));
        hsm.offlineFile("d/on-tape", bytes("on tape"));
        hsm.recalledFile("d/recalled", bytes("recalled"));
        hsm.lostFile("d/lost");
        Files.createDirectories(hsm.root().resolve("d/directory"));

        try (ArchiveBackend backend = backend(hsm.factory())) {
            Map<String, Optional<ArchivedFile>> answers = ((DescribesPaths) backend).describeAll(
                    List.of("d/resident", "d/on-tape", "d/recalled", "d/lost", "d/missing", "d/directory", "../out"));

            assertThat(answers.get("d/resident")).contains(new ArchivedFile(13, Optional.empty(), neverMigrated(preset)));
            assertThat(answers.get("d/on-tape")).hasValueSatisfying(file -> assertThat(file.locality()).isEqualTo(Locality.TAPE));
            assertThat(answers.get("d/recalled")).hasValueSatisfying(file ->
                    assertThat(file.locality()).as("DUL, p, archived, archdone").isEqualTo(Locality.DISK_AND_TAPE));
            assertThat(answers.get("d/lost")).hasValueSatisfying(file -> assertThat(file.locality()).isEqualTo(lost(preset)));
            assertThat(answers.get("d/missing")).isEmpty();
            assertThat(answers.get("d/directory")).isEmpty();
            assertThat(answers.get("../out")).isEmpty();
        }
        assertThat(hsm.stateCalls()).as("one state query for the four files").hasSize(1);
    }

    @Test
    void aConfiguredStateCommandThatTellsOnlyOnlineSaysTheLocalityIsUnknown() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.DMF, base.resolve("hsm"));
        hsm.recalledFile("dual", bytes("both"));
        hsm.offlineFile("off", bytes("tape"));
        HsmBackendFactory factory = hsm.factory();
        factory.setPreset(HsmPreset.CUSTOM);
        factory.setCommands(Map.of());
        factory.setStateCommand(List.of(hsm.tool("dmls").toString(), "-l", "{files}"));
        factory.setStatePattern("^\\S+\\s.*\\((?<state>[A-Z]{3})\\) (?<path>/.*)$");
        factory.setOnlinePattern("^(REG|DUL)$");
        factory.setOfflinePattern("^OFL$");
        factory.setRecallCommand(List.of(hsm.tool("dmget").toString(), "{files}"));

        try (ArchiveBackend backend = backend(factory)) {
            Map<String, Optional<ArchivedFile>> answers = ((DescribesPaths) backend).describeAll(List.of("dual", "off"));

            assertThat(answers.get("dual")).hasValueSatisfying(file -> assertThat(file.locality()).isEqualTo(Locality.UNKNOWN));
            assertThat(answers.get("off")).hasValueSatisfying(file -> assertThat(file.locality()).isEqualTo(Locality.TAPE));
        }
    }

    @Test
    void aStateCommandThatFailsIsAnErrorNotAbsence() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.LUSTRE, base.resolve("hsm"));
        hsm.offlineFile("off", bytes("tape"));
        HsmBackendFactory factory = hsm.factory();
        factory.setStateCommand(List.of("/bin/sh", "-c", "echo 'lfs: cannot reach the MDT' >&2; exit 5", "{files}"));

        try (ArchiveBackend backend = backend(factory)) {
            DescribesPaths describer = (DescribesPaths) backend;
            assertThatThrownBy(() -> describer.describeAll(List.of("off"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("no state");
            assertThatThrownBy(() -> describer.describe("off")).isInstanceOf(IOException.class);
            assertThat(describer.describeAll(List.of("missing"))).as("a stat answers for a missing file")
                    .containsEntry("missing", Optional.empty());
        }
    }
}
