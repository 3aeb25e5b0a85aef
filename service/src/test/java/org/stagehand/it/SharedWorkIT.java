package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Work shared between requests and across a restart, observed through the test-only
 * {@code recording} backend, which is discovered like any third-party plugin.
 */
abstract class SharedWorkIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    abstract TestDatabase database(Path directory);

    private StagehandTestApp app(TestDatabase database, TestArchive archive, Path catalog, String recorderName) {
        return new StagehandTestApp(StagehandTestApp.overrides(database, directory.resolve("staging"),
                archive.root(), catalog,
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", recorderName)));
    }

    @Test
    void concurrentRequestsSharingFilesCopyEachFileOnce() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (int i = 0; i < 12; i++) {
            archive.file("f" + i, "shared/f" + i + ".bin", 5_000);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        String name = "copy-once-" + getClass().getSimpleName();
        Recorder recorder = RecordingBackend.recorder(name);
        recorder.delayEachCopy(40);
        StagehandTestApp app = app(database(directory), archive, catalog, name).start();
        try {
            List<CompletableFuture<Reply>> replies = List.of(
                    CompletableFuture.supplyAsync(() -> app.requestStaging("f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7")),
                    CompletableFuture.supplyAsync(() -> app.requestStaging("f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11")),
                    CompletableFuture.supplyAsync(() -> app.requestStaging("f0", "f2", "f4", "f6", "f8", "f10")));

            for (CompletableFuture<Reply> reply : replies) {
                assertThat(reply.get().status()).isEqualTo(201);
                app.awaitStatus(reply.get().json().get("request_id").asText(), "ready", TIMEOUT);
            }

            for (int i = 0; i < 12; i++) {
                assertThat(recorder.copiesOf("f" + i)).as("copies of f" + i).isEqualTo(1);
                assertThat(directory.resolve("staging/shared/f" + i + ".bin"))
                        .hasBinaryContent(archive.bytes("shared/f" + i + ".bin"));
            }
            assertThat(recorder.mostConcurrentCopiesOfOneFile()).isEqualTo(1);
        } finally {
            app.stop();
        }
    }

    @Test
    void transientFailuresAreRetriedUntilTheAttemptsRunOut() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("flaky", "retry/flaky.bin", 2_000)
                .file("broken", "retry/broken.bin", 2_000);
        String name = "retries-" + getClass().getSimpleName();
        Recorder recorder = RecordingBackend.recorder(name);
        recorder.failTransiently("flaky", 2);
        recorder.failTransiently("broken", 100);
        StagehandTestApp app = app(database(directory), archive, archive.writeCatalog(directory.resolve("catalog.json")),
                name).start();
        try {
            String flaky = app.requestStaging("flaky").json().get("request_id").asText();
            String broken = app.requestStaging("broken").json().get("request_id").asText();

            app.awaitStatus(flaky, "ready", TIMEOUT);
            var status = app.awaitStatus(broken, "failed", TIMEOUT);

            // it-config.yml allows 3 attempts: two failures then a success, or three failures.
            assertThat(recorder.copiesOf("flaky")).isEqualTo(3);
            assertThat(recorder.copiesOf("broken")).isEqualTo(3);
            assertThat(directory.resolve("staging/retry/flaky.bin")).hasBinaryContent(archive.bytes("retry/flaky.bin"));
            assertThat(status.get("errors").get(0).get("message").asText())
                    .contains("gave up after 3 attempts").contains("simulated transient failure");
            assertThat(directory.resolve("staging/retry/broken.bin")).doesNotExist();
        } finally {
            app.stop();
        }
    }

    @Test
    void restartInTheMiddleOfStagingEndsReadyWithNoTemporaryFilesLeft() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("r1", "restart/r1.bin", 200_000)
                .file("r2", "restart/r2.bin", 300_000)
                .file("r3", "restart/r3.bin", 400_000);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path stagingRoot = directory.resolve("staging");
        TestDatabase database = database(directory);
        String before = "before-restart-" + getClass().getSimpleName();
        RecordingBackend.recorder(before).hold("r2");

        StagehandTestApp first = app(database, archive, catalog, before).start();
        String requestId;
        try {
            requestId = first.requestStaging("r1", "r2", "r3").json().get("request_id").asText();
            // r2 is half written and held: the service is in the middle of staging.
            await().atMost(TIMEOUT).until(() -> StagehandTestApp.temporaryFilesBelow(stagingRoot).stream()
                    .anyMatch(file -> file.getFileName().toString().startsWith(".r2.bin.")));
            assertThat(first.get("/dts/staging?id=" + requestId).json().get("status").asText()).isEqualTo("staging");
        } finally {
            first.stop();
        }
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).as("left behind by the stop")
                .anyMatch(file -> file.getFileName().toString().startsWith(".r2.bin."));
        assertThat(stagingRoot.resolve("restart/r2.bin")).doesNotExist();

        String after = "after-restart-" + getClass().getSimpleName();
        StagehandTestApp second = app(database, archive, catalog, after).start();
        try {
            second.awaitStatus(requestId, "ready", TIMEOUT);
            for (String file : new String[] {"r1", "r2", "r3"}) {
                assertThat(stagingRoot.resolve("restart/" + file + ".bin"))
                        .hasBinaryContent(archive.bytes("restart/" + file + ".bin"));
            }
            assertThat(RecordingBackend.recorder(after).copiesOf("r2")).isEqualTo(1);
            assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
        } finally {
            second.stop();
            RecordingBackend.recorder(before).releaseHeld();
        }
    }
}
