package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The WLCG Tape REST door over HTTP, for what gfal2 cannot show: exact answers, paths echoed as
 * sent, limits with RFC 7807 bodies, pins from {@code diskLifetime}, stored metadata, cancel and
 * release of paths, archiveinfo. Runs once per database: see the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TapeRestIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Path stagingRoot;
    private StagehandTestApp app;

    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("a", "d/a.dat", 100)
                .file("space", "d/b c.dat", 200)
                .file("pin-short", "pins/short.bin", 10)
                .file("pin-default", "pins/default.bin", 10)
                .file("cancel-a", "cancel/a.bin", 10)
                .file("cancel-b", "cancel/b.bin", 10)
                .file("release", "release/r.bin", 10)
                .file("info", "info/staged.bin", 10)
                .file("info-cold", "info/cold.bin", 10)
                .file("delete", "delete/x.bin", 10)
                .file("started", "started/s.bin", 10);
        for (int i = 0; i < 6; i++) {
            archive.file("limit-" + i, "limit/" + i + ".bin", 10);
        }
        stagingRoot = directory.resolve("staging");
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), stagingRoot, archive.root(),
                archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("tapeRest.maxFilesPerRequest", "5"),
                ConfigOverride.config("tapeRest.maxUnfinishedRequestsPerClient", "3"))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    private Reply stage(String path, String body) {
        return app.post(path, "application/json", body);
    }

    private static String files(String... paths) {
        List<String> files = new ArrayList<>();
        for (String path : paths) {
            files.add("{\"path\": \"" + path + "\"}");
        }
        return "{\"files\": [" + String.join(", ", files) + "]}";
    }

    private String stageAndGetId(String... paths) {
        Reply reply = stage("/api/v1/stage", files(paths));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("requestId").asText();
    }

    /** Polls until every file has settled; returns the last answer. */
    private JsonNode awaitCompleted(String id) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Reply reply = app.get("/api/v1/stage/" + id);
            last[0] = reply.json();
            return reply.status() == 200 && last[0].has("completedAt");
        });
        return last[0];
    }

    @Test
    void stageAnswersExactly201WithTheRequestIdAndItsLocationWithOrWithoutATrailingSlash() {
        for (String endpoint : List.of("/api/v1/stage", "/api/v1/stage/")) {
            Reply reply = stage(endpoint, files("/archive/d/a.dat"));

            assertThat(reply.status()).isEqualTo(201);
            String id = reply.json().get("requestId").asText();
            assertThat(UUID.fromString(id).toString()).isEqualTo(id);
            assertThat(reply.raw().headers().firstValue("Location"))
                    .hasValue("http://localhost:" + app.port() + "/api/v1/stage/" + id);
            awaitCompleted(id);
        }
    }

    @Test
    void pathsAreEchoedAsSentWithOnlySlashesCollapsedAndDuplicatesCountOnce() {
        String id = stageAndGetId("/archive//d/b%20c.dat", "/archive/d/b%20c.dat", "//archive/d/a.dat");

        JsonNode status = awaitCompleted(id);

        assertThat(status.get("files")).hasSize(2);
        assertThat(status.get("files").get(0).get("path").asText()).isEqualTo("/archive/d/b%20c.dat");
        assertThat(status.get("files").get(1).get("path").asText()).isEqualTo("/archive/d/a.dat");
        assertThat(status.get("files")).allMatch(file -> file.get("state").asText().equals("COMPLETED")
                && file.get("onDisk").asBoolean() && !file.has("error"));
        assertThat(status.get("id").asText()).isEqualTo(id);
        assertThat(status.get("createdAt").asLong()).isPositive();
        assertThat(status.get("startedAt").asLong()).isPositive();
    }

    @Test
    void startedAtIsAbsentUntilAFileStartsAndThenStaysTheFirstStart() {
        app.runTask("pause");
        String id;
        try {
            id = stageAndGetId("/archive/started/s.bin");
            JsonNode queued = app.get("/api/v1/stage/" + id).json();
            assertThat(queued.has("createdAt")).isTrue();
            assertThat(queued.has("startedAt")).as("nothing has started: " + queued).isFalse();
        } finally {
            app.runTask("resume");
        }

        JsonNode done = awaitCompleted(id);

        long startedAt = done.get("startedAt").asLong();
        assertThat(startedAt).isBetween(done.get("createdAt").asLong(), done.get("completedAt").asLong());
        assertThat(app.get("/api/v1/stage/" + id).json().get("startedAt").asLong()).isEqualTo(startedAt);
    }

    @Test
    void unknownPathsFailOnTheirOwnWithAnErrorAndNoAnswerHoldsANull() {
        String id = stageAndGetId("/archive/d/a.dat", "/archive/d/none.dat", "/other/d/a.dat", "/archive/d/%zz");
        String firstPoll = app.get("/api/v1/stage/" + id).body();

        JsonNode status = awaitCompleted(id);

        assertThat(firstPoll).doesNotContain("null").contains("/archive/d/none.dat");
        assertThat(app.get("/api/v1/stage/" + id).body()).doesNotContain("null");
        JsonNode files = status.get("files");
        assertThat(files.get(0).get("state").asText()).isEqualTo("COMPLETED");
        for (int i = 1; i < 4; i++) {
            assertThat(files.get(i).get("state").asText()).isEqualTo("FAILED");
            assertThat(files.get(i).get("onDisk").asBoolean()).isFalse();
            assertThat(files.get(i).get("error").asText()).isNotBlank();
        }
        assertThat(files.get(2).get("error").asText()).contains("outside");
    }

    @Test
    void moreDistinctPathsThanTheLimitAnswer413WithAProblemDetail() {
        Reply reply = stage("/api/v1/stage", files("/archive/1", "/archive/2", "/archive/3", "/archive/4", "/archive/5",
                "/archive/6", "/archive/6"));

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(413);
        assertThat(reply.json().get("detail").asText()).contains("6 distinct paths").contains("at most 5");
    }

    @Test
    void moreUnfinishedRequestsThanTheClientLimitAnswer429WithAProblemDetail() {
        app.runTask("pause");
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                ids.add(stageAndGetId("/archive/limit/" + i + ".bin"));
            }

            Reply refused = stage("/api/v1/stage", files("/archive/limit/5.bin"));

            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.json().get("detail").asText()).contains("anonymous").contains("3 unfinished requests");
        } finally {
            app.runTask("resume");
        }
        ids.forEach(this::awaitCompleted);
        assertThat(stage("/api/v1/stage", files("/archive/limit/5.bin")).status()).isEqualTo(201);
    }

    @Test
    void diskLifetimeSetsTheRequestsPinAndTargetedMetadataIsStored() throws Exception {
        Reply reply = stage("/api/v1/stage", "{\"files\": [{\"path\": \"/archive/pins/short.bin\", \"diskLifetime\": \"PT0S\","
                + " \"targetedMetadata\": {\"default\": {\"activity\": \"Express\"}}}]}");
        String shortPin = reply.json().get("requestId").asText();
        String defaultPin = stageAndGetId("/archive/pins/default.bin");
        awaitCompleted(shortPin);
        awaitCompleted(defaultPin);

        app.runTask("evict");

        assertThat(stagingRoot.resolve("pins/short.bin")).doesNotExist();
        assertThat(stagingRoot.resolve("pins/default.bin")).exists();
        assertThat(storedMetadata(shortPin)).isEqualTo("{\"default\":{\"activity\":\"Express\"}}");
    }

    private String storedMetadata(String requestId) throws Exception {
        var database = app.configuration().getDatabase();
        try (Connection connection = DriverManager.getConnection(database.getUrl(), database.getUser(), database.getPassword());
             PreparedStatement query = connection.prepareStatement(
                     "SELECT metadata FROM request_file WHERE request_id = CAST(? AS uuid)")) {
            query.setString(1, requestId);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }

    @Test
    void cancelStopsTheNamedPathsWithAnErrorAndRefusesAPathNotInTheRequestChangingNothing() {
        app.runTask("pause");
        String id;
        try {
            id = stageAndGetId("/archive/cancel/a.bin", "/archive/cancel/b.bin");

            Reply refused = stage("/api/v1/stage/" + id + "/cancel", "{\"paths\": [\"/archive/cancel/a.bin\", \"/archive/d/a.dat\"]}");
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.json().get("title").asText()).isEqualTo("File missing from stage request");
            assertThat(refused.json().get("detail").asText()).contains("/archive/d/a.dat");
            assertThat(app.get("/api/v1/stage/" + id).json().get("files"))
                    .allMatch(file -> file.get("state").asText().equals("SUBMITTED") && !file.has("error"));

            Reply cancelled = stage("/api/v1/stage/" + id + "/cancel", "{\"paths\": [\"/archive//cancel/a.bin\"]}");
            assertThat(cancelled.status()).isEqualTo(200);
        } finally {
            app.runTask("resume");
        }
        JsonNode files = awaitCompleted(id).get("files");
        assertThat(files.get(0).get("state").asText()).isEqualTo("CANCELLED");
        assertThat(files.get(0).get("error").asText()).isEqualTo("cancelled by the client");
        assertThat(files.get(1).get("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void releaseWithGfal2sPlaceholderIdReleasesTheCallersPathsAndAPathNotInARequestAnswers400() {
        String id = stageAndGetId("/archive/release/r.bin");
        awaitCompleted(id);
        assertThat(stage("/api/v1/release/" + id, "{\"paths\": [\"/archive/d/a.dat\"]}").status()).isEqualTo(400);
        app.runTask("evict");
        assertThat(stagingRoot.resolve("release/r.bin")).exists();

        Reply released = stage("/api/v1/release/gfal2-placeholder-id", "{\"paths\": [\"/archive/release/r.bin\"]}");
        app.runTask("evict");

        assertThat(released.status()).isEqualTo(200);
        assertThat(stagingRoot.resolve("release/r.bin")).doesNotExist();
    }

    @Test
    void archiveInfoAnswersEachPathInOrderWithItsLocalityOrAnError() {
        awaitCompleted(stageAndGetId("/archive/info/staged.bin"));

        for (String endpoint : List.of("/api/v1/archiveinfo", "/api/v1/archiveinfo/")) {
            Reply reply = stage(endpoint, "{\"paths\": [\"/archive/info/cold.bin\", \"/archive/nothing\","
                    + " \"/archive//info/staged.bin\", \"/elsewhere/x\"]}");

            assertThat(reply.status()).isEqualTo(200);
            JsonNode answer = reply.json();
            assertThat(answer).hasSize(4);
            assertThat(answer.get(0).get("path").asText()).isEqualTo("/archive/info/cold.bin");
            assertThat(answer.get(0).get("locality").asText()).isEqualTo("TAPE");
            assertThat(answer.get(1).get("error").asText()).isNotBlank();
            assertThat(answer.get(1).has("locality")).isFalse();
            assertThat(answer.get(2).get("path").asText()).isEqualTo("/archive/info/staged.bin");
            assertThat(answer.get(2).get("locality").asText()).isEqualTo("DISK_AND_TAPE");
            assertThat(answer.get(3).get("error").asText()).contains("outside");
            assertThat(reply.body()).doesNotContain("null");
        }
    }

    @Test
    void deleteCancelsAndForgetsTheRequest() {
        app.runTask("pause");
        try {
            String id = stageAndGetId("/archive/delete/x.bin");

            Reply deleted = app.send(HttpRequest.newBuilder().DELETE(), "/api/v1/stage/" + id);

            assertThat(deleted.status()).isEqualTo(200);
            Reply gone = app.get("/api/v1/stage/" + id);
            assertThat(gone.status()).isEqualTo(404);
            assertThat(gone.json().get("detail").asText()).contains(id);
        } finally {
            app.runTask("resume");
        }
    }

    @Test
    void aBodyThatIsNotAStageRequestAnswers400WithAProblemDetail() {
        Reply reply = stage("/api/v1/stage", "{\"files\": [{\"name\": \"/archive/d/a.dat\"}]}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).contains("files[0]");
        assertThat(stage("/api/v1/stage", "not json").json().get("status").asInt()).isEqualTo(400);
    }
}
