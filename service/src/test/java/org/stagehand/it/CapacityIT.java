package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * A staging area of 3,000 bytes holding 1,000-byte files, with no pin lifetime after completion:
 * least recently requested copies make room, pinned ones never do, and work waits rather than
 * failing or overfilling. Request records are kept for no time at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CapacityIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final String recorderName = getClass().getSimpleName() + "-" + "capacity";

    private Path staging;
    private StagehandTestApp app;
    private final Recorder recorder = RecordingBackend.recorder(recorderName);

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (String id : new String[] {"a1", "a2", "a3", "a4", "a5", "h1", "h2", "h3", "w1", "w2", "r1", "s1"}) {
            archive.file(id, "cap/" + id + ".bin", 1_000);
        }
        archive.file("huge", "cap/huge.bin", 4_000);
        staging = directory.resolve("staging");
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), staging,
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", recorderName),
                ConfigOverride.config("lifecycle.capacity", "3000B"),
                ConfigOverride.config("lifecycle.pinLifetime", "0s"),
                ConfigOverride.config("lifecycle.requestRetention", "0s"),
                ConfigOverride.config("lifecycle.cleanupInterval", "1h"))).start();
    }

    @AfterAll
    void stopApp() {
        recorder.releaseHeld();
        app.stop();
    }

    private String post(String... ids) {
        return app.requestStaging(ids).json().get("request_id").asText();
    }

    private long stagedFiles() throws Exception {
        try (Stream<Path> files = Files.walk(staging)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void leastRecentlyRequestedCopiesMakeRoom() throws Exception {
        app.awaitStatus(post("a1", "a2"), "ready", TIMEOUT);
        app.awaitStatus(post("a3"), "ready", TIMEOUT);

        app.awaitStatus(post("a4", "a5"), "ready", TIMEOUT);

        assertThat(staging.resolve("cap/a1.bin")).doesNotExist();
        assertThat(staging.resolve("cap/a2.bin")).doesNotExist();
        assertThat(staging.resolve("cap/a3.bin")).exists();
        assertThat(staging.resolve("cap/a4.bin")).exists();
        assertThat(staging.resolve("cap/a5.bin")).exists();
        assertThat(stagedFiles()).isLessThanOrEqualTo(3);
    }

    @Test
    void workWaitsForSpaceWhilePinnedCopiesFillTheArea() throws Exception {
        app.runTask("evict");
        recorder.hold("h3");
        String pinning = post("h1", "h2", "h3");
        await().atMost(TIMEOUT).until(() -> recorder.copiesOf("h3") == 1);

        String waiting = post("w1", "w2");

        JsonNode status = awaitWaitingForSpace(waiting);
        assertThat(status.get("status").asText()).isEqualTo("staging");
        assertThat(status.get("files").get("failed").asInt()).isZero();
        assertThat(staging.resolve("cap/h1.bin")).as("pinned by a request still staging").exists();
        assertThat(staging.resolve("cap/h2.bin")).exists();
        assertThat(stagedFiles()).isLessThanOrEqualTo(3);

        recorder.releaseHeld();
        app.awaitStatus(pinning, "ready", TIMEOUT);
        app.awaitStatus(waiting, "ready", TIMEOUT);
        assertThat(staging.resolve("cap/w1.bin")).exists();
        assertThat(staging.resolve("cap/w2.bin")).exists();
        assertThat(stagedFiles()).isLessThanOrEqualTo(3);
    }

    private JsonNode awaitWaitingForSpace(String requestId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(TIMEOUT).until(() -> {
            last[0] = app.get("/dts/staging/" + requestId).json();
            return last[0].get("files").get("waiting_for_space").asInt() > 0;
        });
        return last[0];
    }

    @Test
    void aFileLargerThanTheWholeCapacityFailsAndDoesNotHoldUpTheQueue() {
        String tooLarge = post("huge");
        String small = post("s1");

        JsonNode failed = app.awaitStatus(tooLarge, "failed", TIMEOUT);
        app.awaitStatus(small, "ready", TIMEOUT);

        assertThat(failed.get("errors").get(0).get("message").asText())
                .contains("larger than the staging area's capacity", "4000 bytes", "3000 bytes");
        assertThat(staging.resolve("cap/huge.bin")).doesNotExist();
        assertThat(recorder.copiesOf("huge")).isZero();
    }

    @Test
    void completedRequestsArePurgedAfterTheirRetention() {
        String requestId = post("r1");
        app.awaitStatus(requestId, "ready", TIMEOUT);

        String report = app.runTask("evict").body();

        assertThat(report).containsPattern("purged [1-9]\\d* expired requests");
        assertThat(app.get("/dts/staging/" + requestId).status()).isEqualTo(404);
    }
}
