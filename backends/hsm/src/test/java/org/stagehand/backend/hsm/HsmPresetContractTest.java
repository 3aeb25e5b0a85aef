package org.stagehand.backend.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.util.Duration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.Checksum;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.StagingItem;
import org.stagehand.backend.StagingOutcome;
import org.stagehand.backend.support.testing.StagingItems;

/**
 * What every preset must do, proven against its stand-in tool: real processes, real files. One
 * subclass per preset.
 */
abstract class HsmPresetContractTest {

    @TempDir
    Path base;

    FakeHsm hsm;
    Path staging;
    final List<Reported> reported = Collections.synchronizedList(new ArrayList<>());

    record Reported(StagingItem item, StagingOutcome outcome) {
    }

    abstract HsmPreset preset();

    @BeforeEach
    void createFakeHsm() throws IOException {
        hsm = new FakeHsm(preset(), base.resolve("hsm"));
        staging = Files.createDirectories(base.resolve("staging")).toRealPath();
    }

    @AfterEach
    void letQueuedRecallsFinish() {
        // A tool that only queues the recall leaves it running; it must not write into a deleted directory.
        if (hsm.recallsInBackground()) {
            await().atMost(java.time.Duration.ofSeconds(20)).until(hsm::backgroundRecallsFinished);
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    BackendContext context() {
        return new BackendContext("stagehand-test", staging, new MetricRegistry(), new ObjectMapper());
    }

    StagingItem item(String fileId, String location) {
        return StagingItems.item(fileId).location(location).in(staging).build();
    }

    StagingItem itemWithChecksum(String fileId, String location, byte[] content) throws Exception {
        Checksum md5 = new Checksum("md5", HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)));
        return StagingItems.item(fileId).location(location).in(staging).expectedBytes(content.length)
                .expectedChecksum(md5).build();
    }

    void stage(HsmBackendFactory factory, StagingItem... items) throws Exception {
        stage(factory, new StagingBatch("batch", List.of(items)));
    }

    void stage(HsmBackendFactory factory, StagingBatch batch) throws Exception {
        try (ArchiveBackend backend = factory.build(context())) {
            backend.stage(batch, (item, outcome) -> reported.add(new Reported(item, outcome)));
        }
    }

    StagingOutcome outcomeOf(StagingItem item) {
        List<StagingOutcome> outcomes = reported.stream().filter(r -> r.item().equals(item)).map(Reported::outcome).toList();
        assertThat(outcomes).as("outcomes reported for " + item.fileId()).hasSize(1);
        return outcomes.get(0);
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // --- staging -------------------------------------------------------------------------------

    @Test
    void mixedBatchStagesOnlineAndRecalledFilesByteForByte() throws Exception {
        byte[] onlineContent = bytes(300_000, 1);
        byte[] offlineContent = bytes(2_000_000, 2);
        byte[] secondOffline = text("small offline file\n");
        hsm.onlineFile("data/online.bin", onlineContent);
        Path offline = hsm.offlineFile("data/offline.bin", offlineContent);
        hsm.offlineFile("other/second.txt", secondOffline);
        StagingItem online = item("on", "data/online.bin");
        StagingItem recalled = itemWithChecksum("off", "data/offline.bin", offlineContent);
        StagingItem second = item("off2", "other/second.txt");

        stage(hsm.factory(), online, recalled, second);

        assertThat(outcomeOf(online)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(outcomeOf(recalled)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(outcomeOf(second)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(online.temporaryFile()).hasBinaryContent(onlineContent);
        assertThat(recalled.temporaryFile()).hasBinaryContent(offlineContent);
        assertThat(second.temporaryFile()).hasBinaryContent(secondOffline);
        assertThat(hsm.isOffline(offline)).as("recalled through the HSM").isFalse();
    }

    @Test
    void offlineFilesOfABatchAreRecalledInOneCallAndOnlineOnesNever() throws Exception {
        Path a = hsm.offlineFile("a/one", text("1"));
        Path b = hsm.offlineFile("b/two", text("2"));
        Path c = hsm.offlineFile("b/c/three", text("3"));
        hsm.onlineFile("a/online", text("on"));

        stage(hsm.factory(), item("1", "a/one"), item("2", "b/two"), item("3", "b/c/three"), item("4", "a/online"));

        assertThat(reported).extracting(Reported::outcome).allMatch(StagingOutcome.Fetched.class::isInstance);
        assertThat(hsm.recallCalls()).singleElement().satisfies(call -> assertThat(call.files())
                .containsExactlyInAnyOrder(a.toString(), b.toString(), c.toString()));
    }

    @Test
    void stateOfTheWholeBatchIsAskedInOneCall() throws Exception {
        Path online = hsm.onlineFile("x/online", text("on"));
        Path offline = hsm.offlineFile("x/offline", text("off"));

        stage(hsm.factory(), item("1", "x/online"), item("2", "x/offline"));

        assertThat(hsm.stateCalls()).isNotEmpty();
        assertThat(hsm.stateCalls().get(0).files()).containsExactly(online.toString(), offline.toString());
    }

    @Test
    void onlineFilesAreReportedBeforeTheRecallEnds() throws Exception {
        hsm.recallDelaySeconds(0.6);
        hsm.offlineFile("slow/offline", text("off"));
        hsm.onlineFile("slow/online", text("on"));
        StagingItem offline = item("off", "slow/offline");
        StagingItem online = item("on", "slow/online");

        stage(hsm.factory(), offline, online);

        assertThat(reported).extracting(Reported::item).containsExactly(online, offline);
        assertThat(reported).extracting(Reported::outcome).allMatch(StagingOutcome.Fetched.class::isInstance);
    }

    @Test
    void largeBatchIsRecalledInCallsOfAtMostMaxFilesPerRecall() throws Exception {
        List<StagingItem> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            hsm.offlineFile("many/f" + i, text("content " + i));
            items.add(item("f" + i, "many/f" + i));
        }
        HsmBackendFactory factory = hsm.factory();
        factory.setMaxFilesPerRecall(2);

        stage(factory, items.toArray(StagingItem[]::new));

        assertThat(reported).hasSize(5).extracting(Reported::outcome).allMatch(StagingOutcome.Fetched.class::isInstance);
        assertThat(hsm.recallCalls()).extracting(call -> call.files().size()).containsExactlyInAnyOrder(2, 2, 1);
    }

    // --- failures ------------------------------------------------------------------------------

    @Test
    void recallThatFailsAsAWholeRetriesOnlyItsOwnFiles() throws Exception {
        Path fs1 = Files.createDirectories(hsm.root().resolve("fs1"));
        Path fs2 = Files.createDirectories(hsm.root().resolve("fs2"));
        hsm.offlineFile("fs1/good", text("good"));
        hsm.offlineFile("fs2/doomed", text("doomed"));
        hsm.onlineFile("fs2/online", text("online"));
        hsm.failRecallsUnder(fs2, 3);
        HsmBackendFactory factory = hsm.factory();
        factory.setFileSystems(List.of(fs1.toString(), fs2.toString()));
        StagingItem good = item("good", "fs1/good");
        StagingItem doomed = item("doomed", "fs2/doomed");
        StagingItem online = item("online", "fs2/online");

        stage(factory, good, doomed, online);

        assertThat(hsm.recallCalls()).as("one recall call per file system").hasSize(2);
        assertThat(outcomeOf(good)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(good.temporaryFile()).hasContent("good");
        assertThat(outcomeOf(online)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(outcomeOf(doomed)).isInstanceOfSatisfying(StagingOutcome.Retry.class, retry -> assertThat(retry.message())
                .contains("recall of fs2/doomed failed").contains("exited with 3"));
    }

    @Test
    void recallExitCodeListedAsPermanentFailsItsFilesForGood() throws Exception {
        Path doomed = hsm.offlineFile("fs/doomed", text("doomed"));
        hsm.failRecallsUnder(doomed.getParent(), 5);
        HsmBackendFactory factory = hsm.factory();
        factory.setPermanentRecallExitCodes(Set.of(5));
        StagingItem item = item("doomed", "fs/doomed");

        stage(factory, item);

        assertThat(outcomeOf(item)).isInstanceOfSatisfying(StagingOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("exited with 5"));
    }

    @Test
    void unreadableTapeCopyRetriesThatFileAndStagesTheRestOfItsCall() throws Exception {
        hsm.offlineFile("t/fine", text("fine"));
        hsm.unreadableFile("t/broken");
        HsmBackendFactory factory = hsm.factory();
        factory.setRecallTimeout(Duration.milliseconds(1500));
        StagingItem fine = item("fine", "t/fine");
        StagingItem broken = item("broken", "t/broken");

        stage(factory, fine, broken);

        assertThat(hsm.recallCalls()).hasSize(1);
        assertThat(outcomeOf(fine)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(fine.temporaryFile()).hasContent("fine");
        assertThat(outcomeOf(broken)).isInstanceOfSatisfying(StagingOutcome.Retry.class,
                retry -> assertThat(retry.message()).contains("t/broken"));
    }

    @Test
    void fileStillOfflineAtTheRecallTimeoutIsRetriedWithAClearMessage() throws Exception {
        hsm.recallDelaySeconds(2);
        hsm.offlineFile("slow/file", text("slow"));
        HsmBackendFactory factory = hsm.factory();
        factory.setRecallTimeout(Duration.milliseconds(300));
        StagingItem item = item("slow", "slow/file");

        long started = System.nanoTime();
        stage(factory, item);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(outcomeOf(item)).isInstanceOfSatisfying(StagingOutcome.Retry.class, retry -> assertThat(retry.message())
                .contains("slow/file").contains("still offline 300ms").contains("recallTimeout"));
        assertThat(elapsedMillis).as("gave up at the time-out, not when the recall ended").isLessThan(1500);
        assertThat(item.temporaryFile()).doesNotExist();
    }

    @Test
    void missingFileFailsForGoodAndIsNeverGivenToTheHsm() throws Exception {
        hsm.onlineFile("here", text("here"));
        StagingItem missing = item("gone", "not/there");
        StagingItem present = item("here", "here");

        stage(hsm.factory(), missing, present);

        assertThat(outcomeOf(missing)).isInstanceOfSatisfying(StagingOutcome.Failed.class,
                failed -> assertThat(failed.message()).contains("not in the archive").contains("not/there"));
        assertThat(outcomeOf(present)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hsm.calls()).allSatisfy(call -> assertThat(call.files()).noneMatch(file -> file.contains("not/there")));
    }

    @Test
    void locationLeavingTheRootFailsWithoutAnyToolCall() throws Exception {
        Files.writeString(base.resolve("secret"), "secret");
        StagingItem escape = item("escape", "../../secret");

        stage(hsm.factory(), escape);

        assertThat(outcomeOf(escape)).isInstanceOf(StagingOutcome.Failed.class);
        assertThat(hsm.calls()).isEmpty();
    }

    // --- cancellation and shutdown -------------------------------------------------------------

    @Test
    void itemCancelledWhileItsFileIsRecalledIsReportedCancelledPromptly() throws Exception {
        hsm.recallDelaySeconds(1.5);
        hsm.offlineFile("c/slow", text("slow"));
        StagingItem item = item("slow", "c/slow");
        StagingBatch batch = new StagingBatch("batch", List.of(item));

        CompletableFuture<Void> staging = CompletableFuture.runAsync(() -> {
            try {
                stage(hsm.factory(), batch);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !hsm.recallCalls().isEmpty());
        long cancelled = System.nanoTime();
        batch.cancel(List.of(item));
        staging.get(5, TimeUnit.SECONDS);

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cancelled)).isLessThan(1000);
        assertThat(outcomeOf(item)).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(item.temporaryFile()).doesNotExist();
    }

    @Test
    void itemCancelledBeforeTheBatchStartsIsNeitherQueriedNorRecalled() throws Exception {
        Path cancelledFile = hsm.offlineFile("c/cancelled", text("x"));
        hsm.onlineFile("c/kept", text("kept"));
        StagingItem cancelled = item("cancelled", "c/cancelled");
        StagingItem kept = item("kept", "c/kept");
        StagingBatch batch = new StagingBatch("batch", List.of(cancelled, kept));
        batch.cancel(List.of(cancelled));

        stage(hsm.factory(), batch);

        assertThat(outcomeOf(cancelled)).isInstanceOf(StagingOutcome.Cancelled.class);
        assertThat(outcomeOf(kept)).isInstanceOf(StagingOutcome.Fetched.class);
        assertThat(hsm.recallCalls()).isEmpty();
        assertThat(hsm.calls()).allSatisfy(call -> assertThat(call.files()).doesNotContain(cancelledFile.toString()));
    }

    @Test
    void interruptWhileWaitingForARecallEndsTheBatchWithoutReportingIt() throws Exception {
        hsm.recallDelaySeconds(1.5);
        hsm.offlineFile("i/slow", text("slow"));
        StagingItem item = item("slow", "i/slow");
        List<Throwable> thrown = Collections.synchronizedList(new ArrayList<>());
        Thread worker = new Thread(() -> {
            try {
                stage(hsm.factory(), item);
            } catch (Throwable e) {
                thrown.add(e);
            }
        });

        worker.start();
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> !hsm.recallCalls().isEmpty());
        worker.interrupt();
        worker.join(5000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(thrown).singleElement().isInstanceOf(InterruptedException.class);
        assertThat(reported).isEmpty();
    }

    @Test
    void healthyWithTheStandInsAndUnhealthyWhenTheStateToolIsMissing() throws Exception {
        try (ArchiveBackend backend = hsm.factory().build(context())) {
            assertThat(backend.checkHealth().healthy()).isTrue();
        }
        HsmBackendFactory broken = hsm.factory();
        String stateProgram = broken.getCommands().keySet().iterator().next();
        broken.setCommands(java.util.Map.of(stateProgram, base.resolve("no-such-tool").toString()));

        try (ArchiveBackend backend = broken.build(context())) {
            assertThat(backend.checkHealth().healthy()).isFalse();
            assertThat(backend.checkHealth().message()).contains("no-such-tool");
        }
    }

    @Test
    void stateToolThatCannotRunRetriesEveryItem() throws Exception {
        hsm.onlineFile("r/file", text("x"));
        HsmBackendFactory broken = hsm.factory();
        String stateProgram = broken.getCommands().keySet().iterator().next();
        broken.setCommands(java.util.Map.of(stateProgram, base.resolve("no-such-tool").toString()));
        StagingItem item = item("file", "r/file");

        stage(broken, item);

        assertThat(outcomeOf(item)).isInstanceOfSatisfying(StagingOutcome.Retry.class,
                retry -> assertThat(retry.message()).contains("no-such-tool"));
    }

    @Test
    void factoryRefusesACommandsKeyThePresetDoesNotRun() {
        HsmBackendFactory factory = hsm.factory();
        factory.setCommands(java.util.Map.of("hsi", "/usr/bin/hsi"));

        assertThatThrownBy(() -> factory.build(context())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backend.commands.hsi");
    }
}
