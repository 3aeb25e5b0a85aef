package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The HPSS backend end to end, through Stagehand's HTTP API, over the {@code hsi} stand-in
 * ({@code backends/hpss/src/test/hsi/hsi}): real hsi processes over a directory standing in for
 * the HPSS namespace, with a tape map, failure rules and a log of every mount, locate and read.
 *
 * <p>One service (H2) serves every test; each test has files, tape volumes and failure rules of
 * its own, and reads only its own files' lines of the shared stand-in log. One test runs its own
 * service on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HpssStagingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** As {@code backend.fetchIdleTimeout} in it-hpss-config.yml. */
    private static final Duration FETCH_IDLE_TIMEOUT = Duration.ofSeconds(2);
    static final String ARCHIVE_ROOT = "/archive/project";
    private static final String[] TOUR_VOLUMES = {"MA0001", "MB0002", "MC0003"};
    /** hsi command and injected failure, as in the stand-in's control rules. */
    private static final String[][] TEMPORARY_FAILURES = {{"get", "exit75"}, {"get", "drop75"}, {"ls", "exit75"}, {"ls", "timeout"}};

    private Path directory;
    private StandInHpss hpss;
    private Path stagingRoot;
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        hpss = new StandInHpss(directory.resolve("hpss-h2"));

        // stagesFilesByteForByteThroughTapeAndDiskAndReportsReady
        hpss.onTape("basic-1", "basic/genome.fasta", 2_000_000, "BA0001", 700, 0)
                .onTape("basic-2", "basic/reads/r1.fastq", 30_000, "BA0001", 12, 0)
                .onTape("basic-3", "basic/empty.txt", 0, "BA0002", 5, 0)
                .onTape("basic-4", "basic/reads/r2.fastq", 4_096, "BA0001", 300, 1)
                .onDisk("basic-5", "basic/meta.json", 1_234);

        // mountsEqualDistinctVolumesAcrossConcurrentRequests
        Random random = new Random(7);
        List<Integer> positions = shuffled(range(1, 24), random);
        for (int i = 0; i < 24; i++) {
            hpss.onTape(tourId(i), "tour/f" + i + ".bin", 1_000 + i, TOUR_VOLUMES[i % 3], positions.get(i) * 10L, 0);
        }

        // positionsStrictlyIncreaseWithinEachMount: aggregates share a position at different offsets
        long[][] places = {{40, 0}, {40, 2}, {40, 1}, {7, 0}, {90, 5}, {90, 0}, {12, 0}, {65, 0}, {3, 0}, {55, 1}};
        for (int i = 0; i < 20; i++) {
            long[] place = places[i % places.length];
            hpss.onTape(orderId(i), "order/f" + i + ".bin", 500 + i, i < 10 ? "PA0001" : "PB0002", place[0] + i / 10 * 3, place[1]);
        }

        // diskResidentFilesAreRecalledWithoutAMount
        hpss.onDisk("disk-1", "disk/a.txt", 100)
                .onDisk("disk-2", "disk/b.txt", 200)
                .onDisk("disk-3", "disk/c.txt", 300)
                .onTape("disk-4", "disk/tape1.bin", 400, "DA0001", 20, 0)
                .onTape("disk-5", "disk/tape2.bin", 500, "DA0001", 10, 0)
                .onDisk("diskonly-1", "diskonly/x.txt", 10)
                .onDisk("diskonly-2", "diskonly/y.txt", 20);

        // missingFileFailsAloneAndTheOthersAreStaged
        hpss.onTape("lost-1", "lost/f1.bin", 1_000, "LA0001", 10, 0)
                .missingOnTape("lost-gone", "lost/gone.bin", "LA0001", 20, 0)
                .onTape("lost-3", "lost/f3.bin", 3_000, "LA0001", 30, 0)
                .onTape("lost-4", "lost/f4.bin", 4_000, "LA0001", 40, 0);

        // fileVanishingDuringTheRecallFailsAloneAndLaterFilesOfTheMountAreStaged
        for (int i = 1; i <= 5; i++) {
            hpss.onTape("vanish-" + i, "vanish/f" + i + ".bin", 1_000 * i, "VA0001", 10L * i, 0);
        }
        hpss.fail("get", "vanish/f3.bin", "missing", 1);

        // temporaryFailureOnceIsRetriedByTheServiceAndThenReady
        for (int f = 0; f < TEMPORARY_FAILURES.length; f++) {
            String[] failure = TEMPORARY_FAILURES[f];
            String name = failure[0] + "-" + failure[1];
            for (int i = 1; i <= 3; i++) {
                hpss.onTape(name + "-" + i, name + "/f" + i + ".bin", 2_000 + i, "TA000" + (f + 1), 100L * i, 0);
            }
            hpss.fail(failure[0], name + "/f2.bin", failure[1], 1);
        }

        // hungHsiIsTimedOutAndItsFilesRetried
        for (int i = 1; i <= 3; i++) {
            hpss.onTape("hang-" + i, "hang/f" + i + ".bin", 3_000 + i, "HA0001", 10L * i, 0);
        }
        hpss.fail("get", "hang/f2.bin", "hang", 1);

        // aFileWhoseGetAlwaysHangsFailsAloneAndTheRestOfItsTapeIsStaged
        for (int i = 1; i <= 4; i++) {
            hpss.onTape("alwayshang-" + i, "alwayshang/f" + i + ".bin", 1_500 + i, "HB0001", 10L * i, 0);
        }
        hpss.fail("get", "alwayshang/f2.bin", "hang", 99);

        // cancelStopsTheRunningRecallAndNothingReadsTheCancelledFilesAgain
        for (int i = 0; i < 40; i++) {
            hpss.onTape(cancelId(i), "cancel/f" + i + ".bin", 100 + i, "CA0001", 10L * (i + 1), 0);
        }

        // cancelLeavesTheRecallRunningForFilesAnotherRequestStillWants
        for (int i = 0; i < 20; i++) {
            hpss.onTape(shareId(i), "share/f" + i + ".bin", 200 + i, "SA0001", 10L * (i + 1), 0);
        }

        stagingRoot = directory.resolve("staging-h2");
        app = hpss.app(TestDatabase.h2(directory.resolve("db")), stagingRoot).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    // ---- the tests ----

    @Test
    void stagesFilesByteForByteThroughTapeAndDiskAndReportsReady() throws Exception {
        String requestId = requestId(app.requestStaging("basic-1", "basic-2", "basic-3", "basic-4", "basic-5"));

        JsonNode status = app.awaitStatus(requestId, "ready", TIMEOUT);

        assertThat(status.get("files").get("total").asInt()).isEqualTo(5);
        assertThat(status.get("files").get("ready").asInt()).isEqualTo(5);
        assertThat(status.get("bytes").get("ready").asLong()).isEqualTo(2_000_000 + 30_000 + 0 + 4_096 + 1_234);
        for (String path : List.of("basic/genome.fasta", "basic/reads/r1.fastq", "basic/empty.txt",
                "basic/reads/r2.fastq", "basic/meta.json")) {
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
        assertThat(hpss.events()).filteredOn(event -> event.kind().matches("READ|DISKREAD") && event.path().startsWith("basic/"))
                .as("every file read from HPSS once").hasSize(5);
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(hpss.commandFiles()).as("hsi command files are deleted after each session").isEmpty());
    }

    @Test
    void mountsEqualDistinctVolumesAcrossConcurrentRequests() throws Exception {
        // Four overlapping requests of eight files each, drawn at random from 24 files on three volumes.
        List<String> ids = shuffled(range(0, 23), new Random(11)).stream().map(HpssStagingIT::tourId).toList();
        List<List<String>> requests = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            List<String> request = new ArrayList<>();
            for (int k = 0; k < 8; k++) {
                request.add(ids.get((6 * r + k) % ids.size()));
            }
            requests.add(request);
        }

        stageConcurrently(app, requests);

        assertThat(hpss.mountedVolumes(Set.of(TOUR_VOLUMES)))
                .as("one mount per distinct volume")
                .containsExactlyInAnyOrder(TOUR_VOLUMES);
        Map<String, Long> readsPerFile = hpss.reads("tour/").stream()
                .collect(Collectors.groupingBy(Event::path, Collectors.counting()));
        assertThat(readsPerFile).hasSize(24).allSatisfy((path, reads) -> assertThat(reads).as(path).isEqualTo(1));
        for (int i = 0; i < 24; i++) {
            String path = "tour/f" + i + ".bin";
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
    }

    @Test
    void positionsStrictlyIncreaseWithinEachMount() throws Exception {
        // IDs, and so request order, are unrelated to tape order; each request spans both volumes.
        List<String> ids = shuffled(range(0, 19), new Random(3)).stream().map(HpssStagingIT::orderId).toList();
        stageConcurrently(app, List.of(ids.subList(0, 7), ids.subList(7, 14), ids.subList(14, 20)));

        Map<Long, List<Event>> sessions = hpss.events().stream()
                .filter(event -> event.kind().equals("MOUNT") && Set.of("PA0001", "PB0002").contains(event.detail())
                        || event.kind().equals("READ") && event.path().startsWith("order/"))
                .collect(Collectors.groupingBy(Event::pid, LinkedHashMap::new, Collectors.toList()));
        int reads = 0;
        int mostReadsInOneMount = 0;
        for (List<Event> session : sessions.values()) {
            String mounted = null;
            long[] previous = null;
            int readsInMount = 0;
            for (Event event : session) {
                if (event.kind().equals("MOUNT")) {
                    mounted = event.detail();
                    previous = null;
                    readsInMount = 0;
                    continue;
                }
                assertThat(event.field(0)).as("volume of a read").isEqualTo(mounted);
                long[] place = event.place();
                if (previous != null) {
                    assertThat(previous[0] < place[0] || previous[0] == place[0] && previous[1] < place[1])
                            .as("read at %d+%d after %d+%d on %s", place[0], place[1], previous[0], previous[1], mounted)
                            .isTrue();
                }
                previous = place;
                mostReadsInOneMount = Math.max(mostReadsInOneMount, ++readsInMount);
                reads++;
            }
        }
        assertThat(reads).isEqualTo(20);
        assertThat(mostReadsInOneMount).as("files read in one mount, in an order unrelated to the requests'")
                .isGreaterThanOrEqualTo(5);
    }

    @Test
    void diskResidentFilesAreRecalledWithoutAMount() throws Exception {
        String mixed = requestId(app.requestStaging("disk-1", "disk-2", "disk-3", "disk-4", "disk-5"));
        String diskOnly = requestId(app.requestStaging("diskonly-1", "diskonly-2"));

        app.awaitStatus(mixed, "ready", TIMEOUT);
        app.awaitStatus(diskOnly, "ready", TIMEOUT);

        List<Event> diskReads = hpss.events("DISKREAD").stream()
                .filter(event -> event.path().startsWith("disk/") || event.path().startsWith("diskonly/")).toList();
        assertThat(diskReads).extracting(Event::path).containsExactlyInAnyOrder(
                "disk/a.txt", "disk/b.txt", "disk/c.txt", "diskonly/x.txt", "diskonly/y.txt");
        Set<Long> diskSessions = diskReads.stream().map(Event::pid).collect(Collectors.toSet());
        assertThat(hpss.events().stream().filter(event -> diskSessions.contains(event.pid())))
                .as("sessions reading disk-resident files")
                .noneMatch(event -> event.kind().equals("MOUNT") || event.kind().equals("LOCATE") || event.kind().equals("READ"));
        assertThat(hpss.mountedVolumes(Set.of("DA0001"))).containsExactly("DA0001");
        assertThat(hpss.reads("disk/")).extracting(Event::path).containsExactly("disk/tape2.bin", "disk/tape1.bin");
        for (String path : List.of("disk/a.txt", "disk/b.txt", "disk/c.txt", "disk/tape1.bin", "disk/tape2.bin",
                "diskonly/x.txt", "diskonly/y.txt")) {
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
    }

    @Test
    void missingFileFailsAloneAndTheOthersAreStaged() throws Exception {
        String requestId = requestId(app.requestStaging("lost-1", "lost-gone", "lost-3", "lost-4"));

        JsonNode status = app.awaitStatus(requestId, "failed", TIMEOUT);

        assertThat(status.get("files").get("ready").asInt()).isEqualTo(3);
        assertThat(status.get("files").get("failed").asInt()).isEqualTo(1);
        assertThat(status.get("errors")).hasSize(1);
        JsonNode error = status.get("errors").get(0);
        assertThat(error.get("id").asText()).isEqualTo("lost-gone");
        assertThat(error.get("path").asText()).isEqualTo("lost/gone.bin");
        // Clients see the path below the archive root, never the server's absolute path (issue #11 item 8).
        assertThat(error.get("message").asText()).contains("lost/gone.bin", "No such file").doesNotContain(ARCHIVE_ROOT);
        for (String path : List.of("lost/f1.bin", "lost/f3.bin", "lost/f4.bin")) {
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
        assertThat(stagingRoot.resolve("lost/gone.bin")).doesNotExist();
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
        // Listed twice: once when it was queued, to place it for volume planning, and once by the
        // backend's planner; a retry would list it a third time.
        assertThat(hpss.events("ERROR")).filteredOn(event -> event.path().equals("lost/gone.bin"))
                .as("a missing file fails for good: it is not tried again").hasSize(2);
        assertThat(hpss.mountedVolumes(Set.of("LA0001"))).containsExactly("LA0001");
    }

    @Test
    void fileVanishingDuringTheRecallFailsAloneAndLaterFilesOfTheMountAreStaged() throws Exception {
        String requestId = requestId(app.requestStaging("vanish-1", "vanish-2", "vanish-3", "vanish-4", "vanish-5"));

        JsonNode status = app.awaitStatus(requestId, "failed", TIMEOUT);

        assertThat(status.get("files").get("ready").asInt()).isEqualTo(4);
        assertThat(status.get("errors")).hasSize(1);
        assertThat(status.get("errors").get(0).get("id").asText()).isEqualTo("vanish-3");
        assertThat(status.get("errors").get(0).get("message").asText()).contains("vanish/f3.bin").doesNotContain(ARCHIVE_ROOT);
        for (int i : new int[] {1, 2, 4, 5}) {
            String path = "vanish/f" + i + ".bin";
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
        assertThat(stagingRoot.resolve("vanish/f3.bin")).doesNotExist();
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
        List<Event> reads = hpss.reads("vanish/");
        assertThat(reads).extracting(Event::path)
                .as("one pass over the tape, going on past the failing file")
                .containsExactly("vanish/f1.bin", "vanish/f2.bin", "vanish/f4.bin", "vanish/f5.bin");
        assertThat(reads).extracting(Event::pid).containsOnly(reads.get(0).pid());
        assertThat(hpss.mountedVolumes(Set.of("VA0001"))).containsExactly("VA0001");
    }

    static Stream<Arguments> temporaryFailures() {
        return Stream.of(TEMPORARY_FAILURES).map(failure -> Arguments.of((Object[]) failure));
    }

    @ParameterizedTest(name = "{1} on hsi {0}")
    @MethodSource("temporaryFailures")
    void temporaryFailureOnceIsRetriedByTheServiceAndThenReady(String command, String action) throws Exception {
        String name = command + "-" + action;
        String failing = name + "/f2.bin";
        String requestId = requestId(app.requestStaging(name + "-1", name + "-2", name + "-3"));

        JsonNode status = app.awaitStatus(requestId, "ready", TIMEOUT);

        assertThat(status.get("errors")).isEmpty();
        for (int i = 1; i <= 3; i++) {
            String path = name + "/f" + i + ".bin";
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
        List<Event> failures = hpss.events("ERROR").stream().filter(event -> event.path().equals(failing)).toList();
        assertThat(failures).as("the injected failure").hasSize(1);
        assertThat(failures.get(0).field(0)).isEqualTo("75");
        List<Event> reads = hpss.reads(failing);
        assertThat(reads).as("reads of " + failing).hasSize(1);
        assertThat(reads.get(0).pid()).as("read by a later hsi session").isNotEqualTo(failures.get(0).pid());
        assertThat(reads.get(0).epochMillis()).isGreaterThanOrEqualTo(failures.get(0).epochMillis());
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
    }

    @Test
    void hungHsiIsTimedOutAndItsFilesRetried() throws Exception {
        String requestId = requestId(app.requestStaging("hang-1", "hang-2", "hang-3"));

        app.awaitStatus(requestId, "ready", TIMEOUT);

        List<Event> hangs = hpss.events("HANG").stream().filter(event -> event.path().equals("hang/f2.bin")).toList();
        assertThat(hangs).hasSize(1);
        Event hang = hangs.get(0);
        assertThat(ProcessHandle.of(hang.pid()).map(ProcessHandle::isAlive).orElse(false))
                .as("the hung hsi was killed").isFalse();
        assertThat(hpss.events("EXIT")).as("the hung hsi never ended by itself")
                .noneMatch(event -> event.pid() == hang.pid());
        List<Event> reads = hpss.reads("hang/f2.bin");
        assertThat(reads).hasSize(1);
        assertThat(reads.get(0).pid()).isNotEqualTo(hang.pid());
        assertThat(reads.get(0).epochMillis() - hang.epochMillis())
                .as("ms until the retry read it; killed only after backend.fetchIdleTimeout without progress")
                .isGreaterThanOrEqualTo(FETCH_IDLE_TIMEOUT.toMillis() - 100);
        for (int i = 1; i <= 3; i++) {
            String path = "hang/f" + i + ".bin";
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
    }

    @Test
    void aFileWhoseGetAlwaysHangsFailsAloneAndTheRestOfItsTapeIsStaged() throws Exception {
        String requestId = requestId(app.requestStaging("alwayshang-1", "alwayshang-2", "alwayshang-3", "alwayshang-4"));

        JsonNode status = app.awaitStatus(requestId, "failed", TIMEOUT.multipliedBy(2));

        assertThat(status.get("files").get("ready").asInt()).isEqualTo(3);
        assertThat(status.get("errors")).singleElement().satisfies(error -> {
            assertThat(error.get("id").asText()).isEqualTo("alwayshang-2");
            assertThat(error.get("message").asText()).contains("gave up after 3 attempts", "no progress",
                    "alwayshang/f2.bin").doesNotContain(ARCHIVE_ROOT);
        });
        for (int i : new int[] {1, 3, 4}) {
            String path = "alwayshang/f" + i + ".bin";
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
            assertThat(hpss.reads(path)).as("reads of " + path).hasSize(1);
        }
        assertThat(hpss.events("HANG")).filteredOn(event -> event.path().equals("alwayshang/f2.bin"))
                .as("one hung session per attempt").hasSize(3)
                .allSatisfy(hang -> assertThat(ProcessHandle.of(hang.pid()).map(ProcessHandle::isAlive).orElse(false))
                        .as("hung hsi %d was killed", hang.pid()).isFalse());
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
    }

    @Test
    void cancelStopsTheRunningRecallAndNothingReadsTheCancelledFilesAgain() throws Exception {
        List<String> ids = range(0, 39).stream().map(HpssStagingIT::cancelId).toList();
        String requestId = requestId(app.requestStaging(ids.toArray(String[]::new)));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> hpss.reads("cancel/").size() >= 3);

        Reply cancel = app.runTask("cancel?id=" + requestId);

        assertThat(cancel.body()).contains("cancelled:");
        int readsAtCancel = hpss.reads("cancel/").size();
        long session = hpss.reads("cancel/").get(0).pid();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() ->
                ProcessHandle.of(session).map(process -> !process.isAlive()).orElse(true));
        // Longer than the service's retry backoff plus the batch window: time for any retry to start reading.
        Thread.sleep(1_500);

        List<Event> reads = hpss.reads("cancel/");
        assertThat(reads.size()).as("files read of 40; %d when the cancel returned", readsAtCancel)
                .isLessThanOrEqualTo(readsAtCancel + 5);
        assertThat(reads).extracting(Event::pid).as("no session after the cancelled one").containsOnly(session);
        assertThat(hpss.mountedVolumes(Set.of("CA0001"))).containsExactly("CA0001");
        JsonNode status = app.get("/dts/staging/" + requestId).json();
        assertThat(status.get("status").asText()).isEqualTo("cancelled");
        assertThat(status.get("files").get("cancelled").asInt()).isGreaterThanOrEqualTo(40 - reads.size());
        assertThat(status.get("files").get("ready").asInt() + status.get("files").get("cancelled").asInt()).isEqualTo(40);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty());
        Set<String> read = reads.stream().map(Event::path).collect(Collectors.toSet());
        for (int i = 0; i < 40; i++) {
            String path = "cancel/f" + i + ".bin";
            if (!read.contains(path)) {
                assertThat(stagingRoot.resolve(path)).as(path + ", never read").doesNotExist();
            }
        }
    }

    @Test
    void cancelLeavesTheRecallRunningForFilesAnotherRequestStillWants() throws Exception {
        List<String> all = range(0, 19).stream().map(HpssStagingIT::shareId).toList();
        List<String> lastTen = all.subList(10, 20);
        String cancelled = requestId(app.requestStaging(all.toArray(String[]::new)));
        String kept = requestId(app.requestStaging(lastTen.toArray(String[]::new)));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(10)).until(() -> !hpss.reads("share/").isEmpty());

        assertThat(app.runTask("cancel?id=" + cancelled).body()).as("files of the first half were still to come")
                .contains("cancelled:");

        app.awaitStatus(kept, "ready", TIMEOUT);
        assertThat(app.get("/dts/staging/" + cancelled).json().get("status").asText()).isEqualTo("cancelled");
        assertThat(hpss.mountedVolumes(Set.of("SA0001"))).as("the running recall went on").containsExactly("SA0001");
        Map<String, Long> readsPerFile = hpss.reads("share/").stream()
                .collect(Collectors.groupingBy(Event::path, Collectors.counting()));
        for (int i = 10; i < 20; i++) {
            String path = "share/f" + i + ".bin";
            assertThat(readsPerFile.get(path)).as("reads of " + path).isEqualTo(1);
            assertThat(stagingRoot.resolve(path)).as(path).hasBinaryContent(hpss.archive.bytes(path));
        }
    }

    @Test
    void concurrentRequestsShareMountsOnPostgres() throws Exception {
        StandInHpss pgHpss = new StandInHpss(directory.resolve("hpss-pg"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add("pg-" + i);
            pgHpss.onTape("pg-" + i, "pg/f" + i + ".bin", 5_000 + i, i % 2 == 0 ? "GA0001" : "GB0002", 100L - i, 0);
        }
        Path pgStaging = directory.resolve("staging-pg");
        StagehandTestApp pgApp = pgHpss.app(TestDatabase.postgres(), pgStaging).start();
        try {
            List<String> shuffledIds = shuffled(ids, new Random(5));
            stageConcurrently(pgApp, List.of(shuffledIds.subList(0, 5), shuffledIds.subList(4, 9), shuffledIds.subList(8, 12)));

            assertThat(pgHpss.mountedVolumes(Set.of("GA0001", "GB0002"))).containsExactlyInAnyOrder("GA0001", "GB0002");
            assertThat(pgHpss.reads("pg/")).hasSize(12);
            for (int i = 0; i < 12; i++) {
                String path = "pg/f" + i + ".bin";
                assertThat(pgStaging.resolve(path)).as(path).hasBinaryContent(pgHpss.archive.bytes(path));
            }
        } finally {
            pgApp.stop();
        }
    }

    // ---- helpers ----

    private static String tourId(int i) {
        return "tour-" + i;
    }

    private static String orderId(int i) {
        return "order-" + i;
    }

    private static String cancelId(int i) {
        return "cancel-" + i;
    }

    private static String shareId(int i) {
        return "share-" + i;
    }

    /** The integers {@code from} to {@code to}, both included. */
    private static List<Integer> range(int from, int to) {
        return Stream.iterate(from, i -> i + 1).limit(to - from + 1L).toList();
    }

    private static <T> List<T> shuffled(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }

    static String requestId(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    /** Posts the requests all at once and waits until every one is ready. */
    private static void stageConcurrently(StagehandTestApp app, List<List<String>> requests) throws Exception {
        List<CompletableFuture<Reply>> replies = requests.stream()
                .map(ids -> CompletableFuture.supplyAsync(() -> app.requestStaging(ids.toArray(String[]::new))))
                .toList();
        for (CompletableFuture<Reply> reply : replies) {
            app.awaitStatus(requestId(reply.get()), "ready", TIMEOUT);
        }
    }

    /** The stand-in's executable: {@code stagehand.hsi.standin} if set, else found from the service module. */
    static Path standIn() {
        String configured = System.getProperty("stagehand.hsi.standin");
        Path script = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("basedir", ".")).resolve("../backends/hpss/src/test/hsi/hsi");
        script = script.toAbsolutePath().normalize();
        assertThat(script).as("the hsi stand-in").isRegularFile();
        assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
        return script;
    }

    /**
     * An HPSS as the stand-in serves it: the namespace (archive root {@code /archive/project} is
     * {@code hpss/archive/project}, holding a {@link TestArchive}), the tape map, the failure rules
     * and the event log, and the service configured to reach it.
     */
    static final class StandInHpss {
        final Path base;
        final Path namespace;
        final TestArchive archive;
        final Path tapes;
        final Path log;
        final Path control;
        final Path commands;
        private final List<String> rules = new ArrayList<>();

        StandInHpss(Path base) throws IOException {
            this.base = base;
            this.namespace = Files.createDirectories(base.resolve("hpss"));
            this.archive = new TestArchive(namespace.resolve(ARCHIVE_ROOT.substring(1)));
            this.tapes = base.resolve("tapes.txt");
            this.log = base.resolve("hsi.log");
            this.control = base.resolve("control.json");
            this.commands = base.resolve("commands");
            Files.writeString(tapes, "");
            Files.writeString(control, "{\"rules\": []}");
        }

        /** A file on tape {@code volume} (six characters) at {@code position+offset}. */
        StandInHpss onTape(String id, String path, int size, String volume, long position, long offset) throws IOException {
            archive.file(id, path, size);
            return place(path, volume, position, offset);
        }

        /** A file on HPSS's disk cache: absent from the tape map. */
        StandInHpss onDisk(String id, String path, int size) throws IOException {
            archive.file(id, path, size);
            return this;
        }

        /** A file in the catalog and the tape map that is no longer in HPSS. */
        StandInHpss missingOnTape(String id, String path, String volume, long position, long offset) throws IOException {
            archive.missingFile(id, path);
            return place(path, volume, position, offset);
        }

        private StandInHpss place(String path, String volume, long position, long offset) throws IOException {
            Files.writeString(tapes, ARCHIVE_ROOT + "/" + path + " " + volume + " " + position + " " + offset + "\n",
                    StandardOpenOption.APPEND);
            return this;
        }

        /** The next {@code times} hsi {@code command}s ({@code get} or {@code ls}) on the file do {@code action}. */
        StandInHpss fail(String command, String path, String action, int times) throws IOException {
            rules.add("{\"command\": \"" + command + "\", \"path\": \"" + ARCHIVE_ROOT + "/" + path
                    + "\", \"action\": \"" + action + "\", \"times\": " + times + "}");
            Files.writeString(control, "{\"rules\": [" + String.join(", ", rules) + "]}");
            return this;
        }

        /** A service on {@code database} with this HPSS as its backend and the catalog of every file added so far. */
        StagehandTestApp app(TestDatabase database, Path stagingRoot) throws IOException {
            return app(database, stagingRoot, List.of());
        }

        /** The same, with more configuration. */
        StagehandTestApp app(TestDatabase database, Path stagingRoot, List<ConfigOverride> extra) throws IOException {
            List<ConfigOverride> overrides = new ArrayList<>(database.overrides());
            overrides.addAll(extra);
            overrides.add(ConfigOverride.config("staging.root", stagingRoot.toString()));
            overrides.add(ConfigOverride.config("catalog.importAtStartup", archive.writeCatalog(base.resolve("catalog.json")).toString()));
            overrides.add(ConfigOverride.config("backend.hsiPath", standIn().toString()));
            overrides.add(ConfigOverride.config("backend.archiveRoot", ARCHIVE_ROOT));
            overrides.add(ConfigOverride.config("backend.commandDirectory", commands.toString()));
            overrides.add(ConfigOverride.config("backend.environment.HSI_STANDIN_ROOT", namespace.toString()));
            overrides.add(ConfigOverride.config("backend.environment.HSI_STANDIN_TAPES", tapes.toString()));
            overrides.add(ConfigOverride.config("backend.environment.HSI_STANDIN_LOG", log.toString()));
            overrides.add(ConfigOverride.config("backend.environment.HSI_STANDIN_CONTROL", control.toString()));
            return new StagehandTestApp("it-hpss-config.yml", overrides);
        }

        /** Every complete line of the stand-in's log, parsed, HPSS paths made relative to the archive root. */
        List<Event> events() throws IOException {
            if (!Files.exists(log)) {
                return List.of();
            }
            String text = Files.readString(log, StandardCharsets.UTF_8);
            List<Event> events = new ArrayList<>();
            for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.split(" ", 4);
                events.add(new Event(Long.parseLong(fields[0]), Long.parseLong(fields[1]), fields[2],
                        fields.length > 3 ? fields[3].replace(ARCHIVE_ROOT + "/", "") : ""));
            }
            return events;
        }

        List<Event> events(String kind) throws IOException {
            return events().stream().filter(event -> event.kind().equals(kind)).toList();
        }

        /** Tape reads of files whose path starts with {@code prefix}, in log order. */
        List<Event> reads(String prefix) throws IOException {
            return events("READ").stream().filter(event -> event.path().startsWith(prefix)).toList();
        }

        /** The volumes mounted, one entry per mount, among {@code volumes}. */
        List<String> mountedVolumes(Set<String> volumes) throws IOException {
            return events("MOUNT").stream().map(Event::detail).filter(volumes::contains).toList();
        }

        List<Path> commandFiles() throws IOException {
            if (!Files.isDirectory(commands)) {
                return List.of();
            }
            try (Stream<Path> files = Files.list(commands)) {
                return files.toList();
            }
        }
    }

    /**
     * A line of the stand-in's log: {@code <epoch ms> <pid> <kind> <detail>}.
     *
     * @param kind START, LIST, MOUNT, LOCATE, READ, DISKREAD, ERROR, HANG or EXIT
     * @param detail the rest, with paths relative to the archive root
     */
    record Event(long epochMillis, long pid, String kind, String detail) {

        String field(int index) {
            return detail.split(" ")[index];
        }

        /** The file a READ, DISKREAD, ERROR, LIST or HANG event is about. */
        String path() {
            return switch (kind) {
                case "READ" -> detail.split(" ", 4)[3];
                case "DISKREAD", "ERROR" -> detail.split(" ", 2)[1];
                default -> detail;
            };
        }

        /** A READ's position and offset. */
        long[] place() {
            String[] place = field(1).split("\\+");
            return new long[] {Long.parseLong(place[0]), Long.parseLong(place[1])};
        }
    }
}
