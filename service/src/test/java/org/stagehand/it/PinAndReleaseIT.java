package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/** Copies stay pinned for their lifetime after the request completes, unless the request releases them. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PinAndReleaseIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final String recorderName = getClass().getSimpleName() + "-" + "pin-and-release";

    private Path staging;
    private StagehandTestApp app;

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("kept", "pin/kept.bin", 500)
                .file("shared", "pin/shared.bin", 500)
                .file("released", "pin/released.bin", 500);
        staging = directory.resolve("staging");
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), staging,
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", recorderName),
                ConfigOverride.config("lifecycle.pinLifetime", "1h"),
                ConfigOverride.config("lifecycle.cleanupInterval", "1h"))).start();
    }

    @AfterAll
    void stopApp() {
        app.stop();
    }

    private String stage(String... ids) {
        String requestId = app.requestStaging(ids).json().get("request_id").asText();
        app.awaitStatus(requestId, "ready", TIMEOUT);
        return requestId;
    }

    private Reply release(String requestId) {
        return app.send(HttpRequest.newBuilder().DELETE(), "/dts/staging/" + requestId);
    }

    @Test
    void completedRequestPinsItsCopiesForTheirLifetime() {
        stage("kept");

        Reply evict = app.runTask("evict");

        assertThat(evict.body()).startsWith("evicted 0 copies");
        assertThat(staging.resolve("pin/kept.bin")).exists();
    }

    @Test
    void releasedCopiesAreEvictedUnlessAnotherRequestPinsThem() {
        String first = stage("released", "shared");
        stage("shared");

        assertThat(release(first).status()).isEqualTo(204);
        assertThat(release(first).status()).as("release is idempotent").isEqualTo(204);
        assertThat(app.runTask("evict?dry-run=true").body()).contains("would evict 1 copies").contains("pin/released.bin");
        assertThat(staging.resolve("pin/released.bin")).as("a dry run deletes nothing").exists();

        Reply evict = app.runTask("evict");

        assertThat(evict.body()).startsWith("evicted 1 copies").contains("pin/released.bin");
        assertThat(staging.resolve("pin/released.bin")).doesNotExist();
        assertThat(staging.resolve("pin/shared.bin")).as("still pinned by the second request").exists();

        stage("released");
        assertThat(RecordingBackend.recorder(recorderName).copiesOf("released")).as("staged again after eviction").isEqualTo(2);
    }

    @Test
    void releasingAnUnknownRequestAnswers404() {
        assertThat(release("4b86e181-8c83-447e-aada-af9232af7da0").status()).isEqualTo(404);
        assertThat(release("not-a-uuid").status()).isEqualTo(400);
    }
}
