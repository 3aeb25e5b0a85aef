package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.OverrideProperties;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Tape REST polls while the PostgreSQL server is stopped: 200 with the last state known for every
 * request this instance created or answered (one failed poll fails a whole FTS batch), and again
 * from the database once it is back.
 */
class TapeRestOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String RECORDER = "tape-rest-outage";

    @TempDir
    Path directory;

    @Test
    void pollsAreAnsweredWithTheLastStateKnownWhileTheDatabaseIsDown() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("done", "tape/done.bin", 1_000)
                .file("held", "tape/held.bin", 2_000);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path data = directory.resolve("pgdata");
        int port = DatabaseOutageIT.freePort();
        Recorder recorder = RecordingBackend.recorder(RECORDER);
        recorder.hold("held");
        EmbeddedPostgres postgres = DatabaseOutageIT.postgres(data, port);
        Map<String, String> propertiesBefore = OverrideProperties.save();
        StagehandTestApp app = null;
        try {
            app = new StagehandTestApp(StagehandTestApp.overrides(DatabaseOutageIT.database(postgres),
                    directory.resolve("staging"), archive.root(), catalog,
                    ConfigOverride.config("backend.type", "recording"),
                    ConfigOverride.config("backend.name", RECORDER),
                    ConfigOverride.config("tapeRest.enabled", "true"))).start();
            String done = stage(app, "/archive/tape/done.bin");
            StagehandTestApp started = app;
            await().atMost(TIMEOUT).until(() -> poll(started, done).has("completedAt"));
            String held = stage(app, "/archive/tape/held.bin", "/archive/tape/none.bin");
            await().atMost(TIMEOUT).until(() -> recorder.copiesOf("held") == 1);
            poll(app, held);

            postgres.close();

            JsonNode completed = poll(app, done);
            assertThat(completed.get("files").get(0).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(completed.get("files").get(0).get("onDisk").asBoolean()).isTrue();
            JsonNode pending = poll(app, held);
            assertThat(pending.get("files").get(0).get("path").asText()).isEqualTo("/archive/tape/held.bin");
            assertThat(pending.get("files").get(0).get("state").asText()).isIn("SUBMITTED", "STARTED");
            assertThat(pending.get("files").get(0).get("onDisk").asBoolean()).isFalse();
            assertThat(pending.get("files").get(1).get("state").asText()).isEqualTo("FAILED");
            assertThat(pending.get("files").get(1).get("error").asText()).contains("no such file");
            assertThat(pending.has("completedAt")).isFalse();
            assertThat(pending.toString()).doesNotContain("null");

            postgres = DatabaseOutageIT.postgres(data, port);
            recorder.releaseHeld();
            StagehandTestApp running = app;
            await().atMost(TIMEOUT).until(() -> poll(running, held).has("completedAt"));
            assertThat(poll(app, held).get("files").get(0).get("state").asText()).isEqualTo("COMPLETED");
        } finally {
            recorder.releaseHeld();
            if (app != null) {
                app.stop();
            }
            OverrideProperties.restore(propertiesBefore);
            postgres.close();
        }
    }

    private static String stage(StagehandTestApp app, String... paths) {
        StringBuilder body = new StringBuilder("{\"files\": [");
        for (int i = 0; i < paths.length; i++) {
            body.append(i == 0 ? "" : ", ").append("{\"path\": \"").append(paths[i]).append("\"}");
        }
        Reply reply = app.post("/api/v1/stage", "application/json", body.append("]}").toString());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("requestId").asText();
    }

    /** A poll, which must answer 200 whatever the database's state. */
    private static JsonNode poll(StagehandTestApp app, String id) {
        Reply reply = app.get("/api/v1/stage/" + id);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("id").asText()).isEqualTo(UUID.fromString(id).toString());
        return reply.json();
    }
}
