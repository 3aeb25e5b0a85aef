package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.LocatesOnTape;
import org.stagehand.backend.LocatesOnTape.TapePlace;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.StagingItems;

/**
 * {@code preset: custom}: every command and pattern comes from the configuration. Driven here with
 * the DMF stand-in spelled out by hand, including a recall through a file list.
 */
class CustomPresetTest {

    @TempDir
    Path base;

    private FakeHsm hsm;
    private Path staging;

    @BeforeEach
    void createFakeHsm() throws IOException {
        hsm = new FakeHsm(HsmPreset.DMF, base.resolve("hsm"));
        staging = Files.createDirectories(base.resolve("staging")).toRealPath();
    }

    private HsmBackendFactory customFactory() {
        HsmBackendFactory factory = hsm.factory();
        factory.setPreset(HsmPreset.CUSTOM);
        factory.setCommands(java.util.Map.of());
        factory.setStateCommand(List.of(hsm.tool("dmls").toString(), "-l", "{files}"));
        factory.setStatePattern("^\\S+\\s.*\\((?<state>[A-Z]{3})\\) (?<path>/.*)$");
        factory.setOnlinePattern("^(REG|DUL)$");
        factory.setOfflinePattern("^OFL$");
        factory.setRecallingPattern("^UNM$");
        // a wrapper that reads a file list, as a site script would
        factory.setRecallCommand(List.of("/bin/sh", "-c", "xargs \"$0\" < \"$1\"", hsm.tool("dmget").toString(),
                "{fileList}"));
        return factory;
    }

    private BackendContext context() {
        return new BackendContext("stagehand-test", staging, new MetricRegistry(), new ObjectMapper());
    }

    @Test
    void spelledOutCommandsStageAMixedBatch() throws Exception {
        hsm.onlineFile("on", "online".getBytes(StandardCharsets.UTF_8));
        hsm.offlineFile("off", "offline".getBytes(StandardCharsets.UTF_8));
        StagingItem online = item("on");
        StagingItem offline = item("off");
        List<StagingOutcome> outcomes = new java.util.ArrayList<>();

        try (ArchiveBackend backend = customFactory().build(context())) {
            backend.stage(new StagingBatch("b", List.of(online, offline)), (item, outcome) -> outcomes.add(outcome));
        }

        assertThat(outcomes).hasSize(2).allMatch(StagingOutcome.Fetched.class::isInstance);
        assertThat(online.temporaryFile()).hasContent("online");
        assertThat(offline.temporaryFile()).hasContent("offline");
        assertThat(hsm.recallCalls()).hasSize(1);
    }

    @Test
    void stateTextMatchingNoPatternIsRetriedNamingTheState() throws Exception {
        hsm.onlineFile("reg", "x".getBytes(StandardCharsets.UTF_8));
        HsmBackendFactory factory = customFactory();
        factory.setOnlinePattern("^DUL$"); // REG is now unknown
        StagingItem item = item("reg");
        List<StagingOutcome> outcomes = new java.util.ArrayList<>();

        try (ArchiveBackend backend = factory.build(context())) {
            backend.stage(new StagingBatch("b", List.of(item)), (i, outcome) -> outcomes.add(outcome));
        }

        assertThat(outcomes).singleElement().isInstanceOfSatisfying(StagingOutcome.Retry.class,
                retry -> assertThat(retry.message()).contains("'REG'"));
    }

    @Test
    void customWithoutARecallCommandIsRefusedNamingTheKey() {
        HsmBackendFactory factory = customFactory();
        factory.setRecallCommand(null);

        assertThatThrownBy(() -> factory.build(context())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.recallCommand");
    }

    @Test
    void statePatternWithoutAPathGroupIsRefused() {
        HsmBackendFactory factory = customFactory();
        factory.setStatePattern("^\\((?<state>[A-Z]{3})\\)");

        assertThatThrownBy(() -> factory.build(context())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.statePattern").hasMessageContaining("path");
    }

    @Test
    void recallCommandThatPassesNoFilesIsRefused() {
        HsmBackendFactory factory = customFactory();
        factory.setRecallCommand(List.of("/usr/bin/true"));

        assertThatThrownBy(() -> factory.build(context())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.recallCommand").hasMessageContaining("{files}");
    }

    @Test
    void invalidRegularExpressionIsRefusedNamingTheKey() {
        HsmBackendFactory factory = customFactory();
        factory.setOfflinePattern("(OFL");

        assertThatThrownBy(() -> factory.build(context())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.offlinePattern");
    }

    /**
     * A site's state tool that prints the volume: here a wrapper of the DMF stand-in's {@code dmls -l}
     * that appends {@code on <volume> at <position>} when the test left the pair beside the file's
     * offline copy (a real wrapper would ask the HSM's catalog).
     */
    private HsmBackendFactory factoryWithAVolumeTellingStateTool() {
        HsmBackendFactory factory = customFactory();
        factory.setStateCommand(List.of("/bin/sh", "-c", """
                dmls="$0"; status=0
                for f; do
                    line=$("$dmls" -l "$f") || { status=2; continue; }
                    place="$HSM_FAKE_OFFLINE$f.tape"
                    if [ -r "$place" ]; then read -r volume position < "$place"; line="$line on $volume at $position"; fi
                    printf '%s\\n' "$line"
                done
                exit "$status"
                """, hsm.tool("dmls").toString(), "{files}"));
        factory.setStatePattern("^\\S+\\s.*\\((?<state>[A-Z]{3})\\) (?<path>/\\S*)( on .*)?$");
        factory.setLocatePattern("^\\S+\\s.*\\([A-Z]{3}\\) (?<path>/\\S*) on (?<volume>\\S+) at (?<position>\\d+)$");
        return factory;
    }

    @Test
    void aLocatePatternMakesTheBackendSayWhereFilesLie() throws Exception {
        hsm.onlineFile("on", "online".getBytes(StandardCharsets.UTF_8));
        hsm.archiveCopies(hsm.offlineFile("placed", "x".getBytes(StandardCharsets.UTF_8)), "VOL042 1234");
        hsm.offlineFile("unplaced", "y".getBytes(StandardCharsets.UTF_8));

        java.util.Map<String, TapePlace> places;
        try (ArchiveBackend backend = factoryWithAVolumeTellingStateTool().build(context())) {
            assertThat(backend).isInstanceOf(LocatesOnTape.class);
            places = ((LocatesOnTape) backend).locate(List.of("on", "placed", "unplaced", "missing"));
        }

        assertThat(places).containsOnly(entry("on", TapePlace.onDisk()), entry("placed", TapePlace.onTape("VOL042", 1234, 0)));
    }

    @Test
    void withoutALocatePatternACustomStateToolLocatesNothing() throws Exception {
        HsmBackendFactory factory = factoryWithAVolumeTellingStateTool();
        factory.setLocatePattern(null);

        try (ArchiveBackend backend = factory.build(context())) {
            assertThat(backend).isNotInstanceOf(LocatesOnTape.class);
        }
    }

    @Test
    void locatePatternWithoutAVolumeGroupIsRefused() {
        HsmBackendFactory factory = customFactory();
        factory.setLocatePattern("^(?<path>/.*)$");

        assertThatThrownBy(() -> factory.build(context())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.locatePattern").hasMessageContaining("volume");
    }

    private StagingItem item(String name) {
        return StagingItems.item(name).in(staging).build();
    }
}
