package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The {@code hsm} backend end to end through the DTS API on H2, once per preset, against the
 * stand-in tools of the HSM module ({@code backends/hsm/src/test/resources/hsm}): real processes
 * that keep "offline" files' content aside and recall it with a delay, logging every call.
 */
class HsmStagingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Where the HSM module keeps its stand-ins, from the service module or from the repository root. */
    private static final List<Path> STAND_IN_DIRECTORIES = List.of(
            Path.of("..", "backends", "hsm", "src", "test", "resources", "hsm"),
            Path.of("backends", "hsm", "src", "test", "resources", "hsm"));

    @TempDir
    Path directory;

    /**
     * @param preset the {@code backend.preset}
     * @param script the stand-in for its tools
     * @param programs the names the stand-in is installed under, state tool first
     * @param recallHead how the stand-in logs a recall call
     * @param queuesRecalls whether the recall command returns before the recall is done
     */
    record Preset(String preset, String script, List<String> programs, String recallHead, boolean queuesRecalls) {
        @Override
        public String toString() {
            return preset;
        }
    }

    static Stream<Arguments> presets() {
        return Stream.of(
                new Preset("dmf", "fake-dmf", List.of("dmls", "dmget"), "dmget", false),
                new Preset("lustre", "fake-lustre", List.of("lfs"), "lfs hsm_restore", true),
                new Preset("spectrum", "fake-spectrum", List.of("dsmls", "dsmrecall"), "dsmrecall", false),
                new Preset("samqfs", "fake-samqfs", List.of("sls", "stage"), "stage", true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void stagesOnlineAndRecalledFilesWithOneRecallPerBatchAndFailsOnlyTheUnreadable(Preset preset) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("on1", "hsm/online-1.bin", 40_000)
                .file("on2", "hsm/deep/online-2.bin", 1_000)
                .file("off1", "hsm/offline-1.bin", 3_000_000)
                .file("off2", "hsm/deep/offline-2.bin", 12_345)
                .file("off3", "hsm/offline-3.bin", 777)
                .file("broken", "hsm/broken.bin", 500);
        Path root = archive.root().toRealPath();
        Path offlineArea = Files.createDirectories(directory.resolve("offline")).toRealPath();
        Path log = Files.createFile(directory.resolve("calls.log"));
        for (String path : List.of("hsm/offline-1.bin", "hsm/deep/offline-2.bin", "hsm/offline-3.bin")) {
            moveToOfflineArea(root.resolve(path), offlineArea);
        }
        makeUnreadable(root.resolve("hsm/broken.bin"), offlineArea);
        Path stagingRoot = directory.resolve("staging");
        StagehandTestApp app = start(preset, archive, offlineArea, log, stagingRoot,
                // a request's files in one batch, so one recall call is what the backend owes
                ConfigOverride.config("work.maxBatchSize", "10"));
        try {
            Reply mixed = app.requestStaging("on1", "off1", "on2", "off2");
            assertThat(mixed.status()).isEqualTo(201);
            app.awaitStatus(mixed.json().get("request_id").asText(), "ready", TIMEOUT);

            for (String path : List.of("hsm/online-1.bin", "hsm/deep/online-2.bin", "hsm/offline-1.bin",
                    "hsm/deep/offline-2.bin")) {
                assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(archive.bytes(path));
            }
            List<List<String>> recalls = recallCalls(log, preset);
            assertThat(recalls).as("recall calls for the mixed request").singleElement()
                    .satisfies(files -> assertThat(files).containsExactlyInAnyOrder(
                            root.resolve("hsm/offline-1.bin").toString(), root.resolve("hsm/deep/offline-2.bin").toString()));

            Reply withBroken = app.requestStaging("off3", "broken");
            assertThat(withBroken.status()).isEqualTo(201);
            JsonNode status = app.awaitStatus(withBroken.json().get("request_id").asText(), "failed", TIMEOUT);

            assertThat(status.get("files").get("ready").asInt()).isEqualTo(1);
            assertThat(stagingRoot.resolve("hsm/offline-3.bin")).hasBinaryContent(archive.bytes("hsm/offline-3.bin"));
            JsonNode error = status.get("errors").get(0);
            assertThat(error.get("id").asText()).isEqualTo("broken");
            assertThat(error.get("message").asText()).contains("hsm/broken.bin");
            assertThat(stagingRoot.resolve("hsm/broken.bin")).doesNotExist();
            assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
        } finally {
            app.stop();
            if (preset.queuesRecalls()) {
                await().atMost(TIMEOUT).until(() -> backgroundRecallsFinished(log, preset));
            }
        }
    }

    @Test
    void samQfsRecallsTheFilesOfOneVolumeInOneCallWhateverTheBatchSizeAndCountsItsMounts() throws Exception {
        Preset samQfs = presets().map(arguments -> (Preset) arguments.get()[0])
                .filter(preset -> preset.preset().equals("samqfs")).findFirst().orElseThrow();
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (int f = 0; f < 3; f++) {
            archive.file("a" + f, "vol/a" + f + ".bin", 2_000 + f).file("b" + f, "vol/b" + f + ".bin", 3_000 + f);
        }
        archive.file("disk", "vol/disk.bin", 500);
        Path root = archive.root().toRealPath();
        Path offlineArea = Files.createDirectories(directory.resolve("offline")).toRealPath();
        Path log = Files.createFile(directory.resolve("calls.log"));
        for (int f = 0; f < 3; f++) {
            // the two volumes' files interleaved in the catalog, so batches in queue order would mix them
            moveToOfflineArea(root.resolve("vol/a" + f + ".bin"), offlineArea);
            onVolume(root.resolve("vol/a" + f + ".bin"), offlineArea, "VOLAAA", 0x100 * (3 - f));
            moveToOfflineArea(root.resolve("vol/b" + f + ".bin"), offlineArea);
            onVolume(root.resolve("vol/b" + f + ".bin"), offlineArea, "VOLBBB", 0x100 * (f + 1));
        }
        Path stagingRoot = directory.resolve("staging");
        StagehandTestApp app = start(samQfs, archive, offlineArea, log, stagingRoot,
                ConfigOverride.config("work.maxBatchSize", "2"));
        try {
            Reply reply = app.requestStaging("a0", "b0", "a1", "b1", "a2", "b2", "disk");
            assertThat(reply.status()).isEqualTo(201);
            app.awaitStatus(reply.json().get("request_id").asText(), "ready", TIMEOUT);

            for (int f = 0; f < 3; f++) {
                for (String path : List.of("vol/a" + f + ".bin", "vol/b" + f + ".bin")) {
                    assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(archive.bytes(path));
                }
            }
            assertThat(recallCalls(log, samQfs)).as("one recall call per volume, in tape order, batches of 2 notwithstanding")
                    .containsExactlyInAnyOrder(
                            List.of(2, 1, 0).stream().map(f -> root.resolve("vol/a" + f + ".bin").toString()).toList(),
                            List.of(0, 1, 2).stream().map(f -> root.resolve("vol/b" + f + ".bin").toString()).toList());
            JsonNode tape = app.getAdmin("/console/api/tape").json();
            Map<String, Long> mounts = new TreeMap<>();
            tape.get("mounts_by_volume").forEach(volume -> mounts.put(volume.get("volume").asText(),
                    volume.get("mounts").asLong()));
            assertThat(mounts).isEqualTo(Map.of("VOLAAA", 1L, "VOLBBB", 1L));
        } finally {
            app.stop();
            await().atMost(TIMEOUT).until(() -> backgroundRecallsFinished(log, samQfs));
        }
    }

    /** Starts the service on H2 over the stand-ins of {@code preset}, with quick polls and mounts. */
    private StagehandTestApp start(Preset preset, TestArchive archive, Path offlineArea, Path log, Path stagingRoot,
            ConfigOverride... more) throws Exception {
        Path bin = installStandIns(preset);
        List<ConfigOverride> backend = new ArrayList<>(List.of(
                ConfigOverride.config("backend.type", "hsm"),
                ConfigOverride.config("backend.preset", preset.preset()),
                ConfigOverride.config("backend.pollInterval", "50ms"),
                ConfigOverride.config("backend.recallTimeout", "1500ms"),
                ConfigOverride.config("backend.environment.HSM_FAKE_OFFLINE", offlineArea.toString()),
                ConfigOverride.config("backend.environment.HSM_FAKE_LOG", log.toString()),
                ConfigOverride.config("backend.environment.HSM_FAKE_RECALL_DELAY", "0.3"),
                // samqfs plans by volume: a volume is due as soon as its files are queued
                ConfigOverride.config("work.tape.dueAge", "200ms")));
        backend.addAll(List.of(more));
        for (String program : preset.programs()) {
            backend.add(ConfigOverride.config("backend.commands." + program, bin.resolve(program).toString()));
        }
        return new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                stagingRoot, archive.root().toRealPath(), archive.writeCatalog(directory.resolve("catalog.json")),
                backend.toArray(ConfigOverride[]::new))).start();
    }

    // --- the fake HSM --------------------------------------------------------------------------

    /** The one archive copy the SAM-QFS stand-in lists for a file: on tape {@code vsn} at {@code position}. */
    private static void onVolume(Path file, Path offlineArea, String vsn, long position) throws IOException {
        Files.writeString(Path.of(offlineArea.toString() + file + ".tape"),
                "---- " + Long.toHexString(position) + ".0 li " + vsn + "\n");
    }

    /** Leaves a stub in the archive and keeps the content where the stand-ins recall it from. */
    private static void moveToOfflineArea(Path file, Path offlineArea) throws IOException {
        Path copy = Path.of(offlineArea.toString() + file);
        Files.createDirectories(copy.getParent());
        Files.move(file, copy);
        Files.writeString(file, "offline stub\n");
    }

    /** An offline file whose tape copy cannot be read. */
    private static void makeUnreadable(Path file, Path offlineArea) throws IOException {
        Path marker = Path.of(offlineArea.toString() + file + ".unreadable");
        Files.createDirectories(marker.getParent());
        Files.createFile(marker);
        Files.writeString(file, "offline stub\n");
    }

    /** Copies the stand-in and its library out of the HSM module and links the tool names to it. */
    private Path installStandIns(Preset preset) throws IOException {
        Path source = STAND_IN_DIRECTORIES.stream().filter(Files::isDirectory).findFirst()
                .orElseThrow(() -> new IllegalStateException("HSM stand-ins not found from " + Path.of("").toAbsolutePath()));
        Path scripts = Files.createDirectories(directory.resolve("scripts"));
        for (String name : List.of("fake-hsm-lib.sh", preset.script())) {
            Files.copy(source.resolve(name), scripts.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(scripts.resolve(name), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path bin = Files.createDirectories(directory.resolve("bin"));
        for (String program : preset.programs()) {
            Files.createSymbolicLink(bin.resolve(program), scripts.resolve(preset.script()));
        }
        return bin;
    }

    /** The files of each recall call, in call order. Log lines read "{@code <program> [args] | <files>}". */
    private static List<List<String>> recallCalls(Path log, Preset preset) throws IOException {
        List<List<String>> calls = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            int bar = line.indexOf(" | ");
            String head = line.substring(0, bar);
            if (head.equals(preset.recallHead()) || head.startsWith(preset.recallHead() + " ")) {
                calls.add(Arrays.asList(line.substring(bar + 3).strip().split(" ")));
            }
        }
        return calls;
    }

    private static boolean backgroundRecallsFinished(Path log, Preset preset) throws IOException {
        List<String> lines = Files.readAllLines(log);
        long done = lines.stream().filter(line -> line.startsWith("done ")).count();
        long refused = lines.stream().filter(line -> line.startsWith("refused ")).count();
        return done >= recallCalls(log, preset).size() - refused;
    }
}
