package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.LocatesOnTape;
import org.stagehand.backend.LocatesOnTape.TapePlace;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.RecordingListener;
import org.stagehand.backend.support.testing.StagingItems;

/**
 * Where files lie on tape, for the presets whose state tool says (SAM-QFS's {@code sls -D}), and
 * the mounts their recalls need, against the stand-ins (real processes); the presets whose tools
 * do not say locate nothing, as before.
 */
class HsmVolumeLocationTest {

    @TempDir
    Path base;

    private final List<String> mounted = Collections.synchronizedList(new ArrayList<>());

    private ArchiveBackend backend(HsmBackendFactory factory) throws IOException {
        Path staging = Files.createDirectories(base.resolve("staging")).toRealPath();
        return factory.build(new BackendContext("stagehand-test", staging, new MetricRegistry(), new ObjectMapper(),
                mounted::add));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void samQfsPlacesOfflineFilesWhereTheirCopyLiesAndOnlineOnesOnDiskInOneStateQuery() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.SAMQFS, base.resolve("hsm"));
        hsm.onVolume(hsm.offlineFile("t/first", bytes("1")), "VOL001", 0x30);
        Path second = hsm.offlineFile("t/second", bytes("2"));
        hsm.archiveCopies(second, "S--- 10.0 li VOL001", "---- 1b2.4 li VOL002");
        hsm.onVolume(hsm.recalledFile("t/recalled", bytes("3")), "VOL001", 0x50);
        hsm.onlineFile("t/resident", bytes("4"));
        hsm.lostFile("t/lost");
        Files.createDirectories(hsm.root().resolve("t/directory"));

        Map<String, TapePlace> places;
        try (ArchiveBackend backend = backend(hsm.factory())) {
            assertThat(backend).isInstanceOf(LocatesOnTape.class);
            assertThat(((LocatesOnTape) backend).maxSessions()).isEqualTo(2);
            places = ((LocatesOnTape) backend).locate(List.of("t/first", "t/second", "t/recalled", "t/resident", "t/lost",
                    "t/directory", "t/missing", "../outside"));
        }

        assertThat(places).containsOnly(entry("t/first", TapePlace.onTape("VOL001", 0x30, 0)),
                entry("t/second", TapePlace.onTape("VOL002", 0x1b2, 4)), entry("t/recalled", TapePlace.onDisk()),
                entry("t/resident", TapePlace.onDisk()));
        assertThat(hsm.stateCalls()).singleElement().satisfies(call -> assertThat(call.files()).hasSize(5));
    }

    @Test
    void aStateToolThatCannotRunCannotSayWhereFilesLie() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.SAMQFS, base.resolve("hsm"));
        hsm.offlineFile("t/file", bytes("1"));
        HsmBackendFactory broken = hsm.factory();
        broken.setCommands(Map.of("sls", base.resolve("no-such-tool").toString(), "stage", hsm.tool("stage").toString()));

        try (ArchiveBackend backend = backend(broken)) {
            assertThatThrownBy(() -> ((LocatesOnTape) backend).locate(List.of("t/file")))
                    .isInstanceOf(IOException.class).hasMessageContaining("no-such-tool");
        }
    }

    @ParameterizedTest
    @EnumSource(value = HsmPreset.class, names = {"DMF", "SPECTRUM", "LUSTRE"})
    void presetsWhoseStateToolDoesNotTellTheVolumeDoNotLocate(HsmPreset preset) throws Exception {
        FakeHsm hsm = new FakeHsm(preset, base.resolve("hsm"));

        try (ArchiveBackend backend = backend(hsm.factory())) {
            assertThat(backend).isNotInstanceOf(LocatesOnTape.class);
        }
    }

    @Test
    void aStateCommandSpelledOutInTheConfigurationDoesNotLocateEvenForSamQfs() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.SAMQFS, base.resolve("hsm"));
        HsmBackendFactory factory = hsm.factory();
        factory.setCommands(Map.of());
        factory.setStateCommand(List.of(hsm.tool("sls").toString(), "-D", "{files}"));
        factory.setRecallCommand(List.of(hsm.tool("stage").toString(), "{files}"));

        try (ArchiveBackend backend = backend(factory)) {
            assertThat(backend).isNotInstanceOf(LocatesOnTape.class);
        }
    }

    @Test
    void aRecallCallNamesTheFilesInTapeOrderWhateverTheBatchOrder() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.SAMQFS, base.resolve("hsm"));
        Path far = hsm.offlineFile("o/far", bytes("far"));
        hsm.onVolume(far, "VOL001", 0x300);
        Path near = hsm.offlineFile("o/near", bytes("near"));
        hsm.onVolume(near, "VOL001", 0x100);
        Path middle = hsm.offlineFile("o/middle", bytes("middle"));
        hsm.archiveCopies(middle, "---- 100.2 li VOL001");
        Path staging = Files.createDirectories(base.resolve("staging")).toRealPath();
        List<StagingItem> items = new ArrayList<>();
        for (String location : List.of("o/far", "o/near", "o/middle")) {
            items.add(StagingItems.item(location.replace('/', '-')).location(location).in(staging).build());
        }

        try (ArchiveBackend backend = backend(hsm.factory())) {
            backend.stage(new StagingBatch("batch", items), new RecordingListener());
        } finally {
            await().atMost(Duration.ofSeconds(20)).until(hsm::backgroundRecallsFinished);
        }

        assertThat(hsm.recallCalls()).singleElement().satisfies(call -> assertThat(call.files())
                .containsExactly(near.toString(), middle.toString(), far.toString()));
    }

    @Test
    void aRecallTellsTheServiceOfEachVolumeItNeedsOnce() throws Exception {
        FakeHsm hsm = new FakeHsm(HsmPreset.SAMQFS, base.resolve("hsm"));
        hsm.onVolume(hsm.offlineFile("m/a1", bytes("a1")), "VOL001", 0x10);
        hsm.onVolume(hsm.offlineFile("m/a2", bytes("a2")), "VOL001", 0x20);
        hsm.onVolume(hsm.offlineFile("m/b1", bytes("b1")), "VOL002", 0x10);
        hsm.onVolume(hsm.recalledFile("m/recalled", bytes("on disk")), "VOL003", 0x10);
        Path staging = Files.createDirectories(base.resolve("staging")).toRealPath();
        List<StagingItem> items = new ArrayList<>();
        for (String location : List.of("m/a1", "m/a2", "m/b1", "m/recalled")) {
            items.add(StagingItems.item(location.replace('/', '-')).location(location).in(staging).build());
        }
        RecordingListener outcomes = new RecordingListener();

        try (ArchiveBackend backend = backend(hsm.factory())) {
            backend.stage(new StagingBatch("batch", items), outcomes);
        } finally {
            await().atMost(Duration.ofSeconds(20)).until(hsm::backgroundRecallsFinished);
        }

        assertThat(items).allSatisfy(item -> assertThat(outcomes.outcome(item)).isInstanceOf(StagingOutcome.Fetched.class));
        assertThat(hsm.recallCalls()).hasSize(1);
        assertThat(mounted).containsExactlyInAnyOrder("VOL001", "VOL002");
    }
}
