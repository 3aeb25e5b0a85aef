package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Someone who can write to the staging area replaces a directory holding a released copy by a
 * link to a directory outside the root: neither the evict task nor eviction for room deletes what
 * the link leads to, and staging there again fails with a message that shows no server path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SymlinkEscapeIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Path directory;
    private Path staging;
    private StagehandTestApp app;

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("ev", "ev/f.txt", 1_000)
                .file("room", "room/f.txt", 1_000);
        for (String id : new String[] {"big1", "big2", "big3"}) {
            archive.file(id, "big/" + id + ".bin", 1_000);
        }
        staging = directory.resolve("staging");
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), staging,
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("lifecycle.capacity", "3000B"),
                ConfigOverride.config("lifecycle.pinLifetime", "1h"),
                ConfigOverride.config("lifecycle.cleanupInterval", "1h"))).start();
    }

    @AfterAll
    void stopApp() {
        app.stop();
    }

    /** Stages {@code id}, releases it, and puts a link to a directory outside in place of {@code dir}. */
    private Path stageReleaseAndLinkOut(String id, String dir) throws Exception {
        String requestId = app.requestStaging(id).json().get("request_id").asText();
        app.awaitStatus(requestId, "ready", TIMEOUT);
        release(requestId);
        Path outside = Files.createDirectories(directory.resolve("outside-" + dir));
        Files.writeString(outside.resolve("f.txt"), "not the service's to delete");
        Files.move(staging.resolve(dir), directory.resolve("moved-away-" + dir));
        Files.createSymbolicLink(staging.resolve(dir), outside);
        return outside.resolve("f.txt");
    }

    private void release(String requestId) {
        assertThat(app.send(HttpRequest.newBuilder().DELETE(), "/dts/staging/" + requestId).status()).isEqualTo(204);
    }

    @Test
    void theEvictTaskDoesNotDeleteThroughALinkOutOfTheRoot() throws Exception {
        Path outsideFile = stageReleaseAndLinkOut("ev", "ev");

        app.runTask("evict");

        assertThat(outsideFile).exists().hasContent("not the service's to delete");
        String again = app.requestStaging("ev").json().get("request_id").asText();
        JsonNode failed = app.awaitStatus(again, "failed", TIMEOUT);
        String message = failed.get("errors").get(0).get("message").asText();
        assertThat(message).contains("'ev'", "leading out of the staging root").doesNotContain(directory.toString());
        assertThat(outsideFile).hasContent("not the service's to delete");
    }

    @Test
    void evictionForRoomDoesNotDeleteThroughALinkOutOfTheRoot() throws Exception {
        Path outsideFile = stageReleaseAndLinkOut("room", "room");

        String requestId = app.requestStaging("big1", "big2", "big3").json().get("request_id").asText();
        app.awaitStatus(requestId, "ready", TIMEOUT);
        release(requestId); // leaves room for the other test

        assertThat(outsideFile).exists().hasContent("not the service's to delete");
        assertThat(staging.resolve("big/big1.bin")).exists();
    }
}
