package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/** Operating a running service: admin tasks and the per-file view. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OperationsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final String recorderName = getClass().getSimpleName() + "-" + "operations";

    private Path directory;
    private TestArchive archive;
    private StagehandTestApp app;
    private final Recorder recorder = RecordingBackend.recorder(recorderName);

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        archive = new TestArchive(directory.resolve("archive"));
        for (String id : List.of("c1", "c2", "c3", "p1", "p2", "p3", "p4", "p5")) {
            archive.file(id, "files/" + id + ".bin", 1_000);
        }
        archive.missingFile("late", "files/late.bin");
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", recorderName))).start();
    }

    @AfterAll
    void stopApp() {
        app.stop();
    }

    private String requestId(Reply reply) {
        assertThat(reply.status()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    @Test
    void cancelledRequestStopsItsQueuedFilesAndALaterRequestStagesThem() {
        assertThat(app.runTask("pause").body()).contains("work paused");
        String cancelled = requestId(app.requestStaging("c1", "c2", "c3"));

        Reply cancel = app.runTask("cancel?id=" + cancelled);

        assertThat(cancel.status()).isEqualTo(200);
        assertThat(cancel.body()).contains("cancelled: 3 files stopped waiting");
        JsonNode status = app.get("/dts/staging/" + cancelled).json();
        assertThat(status.get("status").asText()).isEqualTo("cancelled");
        assertThat(status.get("files").get("cancelled").asInt()).isEqualTo(3);
        assertThat(app.runTask("cancel?id=" + cancelled).body()).contains("already cancelled");

        app.runTask("resume");
        String later = requestId(app.requestStaging("c1"));
        app.awaitStatus(later, "ready", TIMEOUT);

        assertThat(recorder.copiesOf("c1")).isEqualTo(1);
        assertThat(recorder.copiesOf("c2")).as("cancelled and wanted by no one").isZero();
        assertThat(recorder.copiesOf("c3")).isZero();
        assertThat(app.get("/dts/staging/" + cancelled).json().get("status").asText()).isEqualTo("cancelled");
    }

    @Test
    void retryStagesAFailedFileOnceItCanBeFound() throws Exception {
        String requestId = requestId(app.requestStaging("late"));
        app.awaitStatus(requestId, "failed", TIMEOUT);
        Files.write(archive.root().resolve("files/late.bin"), new byte[] {1, 2, 3});

        Reply retry = app.runTask("retry?id=" + requestId);

        assertThat(retry.body()).contains("1 files queued again");
        JsonNode status = app.awaitStatus(requestId, "ready", TIMEOUT);
        assertThat(status.get("errors")).isEmpty();
        assertThat(directory.resolve("staging/files/late.bin")).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void importCatalogTaskAddsEntriesThatRequestsCanThenName() throws Exception {
        Files.write(archive.root().resolve("files/added.bin"), new byte[] {9, 8, 7});
        Path csv = directory.resolve("more.csv");
        Files.writeString(csv, "id,path\nadded,files/added.bin\n,no-id.bin\n");
        assertThat(app.requestStaging("added").status()).as("not in the catalog yet").isEqualTo(404);

        Reply reply = app.runTask("import-catalog?file=" + csv);

        assertThat(reply.body()).contains("imported 1 catalog entries, rejected 1").contains("line 3").contains("id is missing");
        app.awaitStatus(requestId(app.requestStaging("added")), "ready", TIMEOUT);
        assertThat(app.runTask("import-catalog").body()).startsWith("error: the parameter 'file' is required");
        assertThat(app.runTask("import-catalog?file=/no/such/catalog.json").body()).startsWith("error: cannot read");
    }

    @Test
    void tasksExplainAMissingOrUnknownRequest() {
        assertThat(app.runTask("cancel").body()).startsWith("error: the parameter 'id' is required");
        assertThat(app.runTask("retry?id=banana").body()).startsWith("error: 'banana' is not a request UUID");
        assertThat(app.runTask("cancel?id=4b86e181-8c83-447e-aada-af9232af7da0").body())
                .startsWith("error: no staging request 4b86e181-8c83-447e-aada-af9232af7da0");
    }

    @Test
    void perFileViewPagesThroughTheFilesInIdOrder() {
        String requestId = requestId(app.requestStaging("p5", "p3", "p1", "p4", "p2"));
        app.awaitStatus(requestId, "ready", TIMEOUT);

        List<String> seen = new ArrayList<>();
        String after = "";
        int pages = 0;
        while (after != null) {
            JsonNode page = app.get("/dts/staging/" + requestId + "/files?limit=2&after=" + after).json();
            page.get("files").forEach(file -> {
                seen.add(file.get("id").asText());
                assertThat(file.get("state").asText()).isEqualTo("ready");
                assertThat(file.get("bytes").asLong()).isEqualTo(1_000);
                assertThat(file.get("path").asText()).isEqualTo("files/" + file.get("id").asText() + ".bin");
                assertThat(file.has("completed_at")).isTrue();
            });
            after = page.has("next_after") ? page.get("next_after").asText() : null;
            pages++;
        }

        assertThat(seen).containsExactly("p1", "p2", "p3", "p4", "p5");
        assertThat(pages).isEqualTo(3);
        assertThat(app.get("/dts/staging/" + requestId + "/files?limit=0").status()).isEqualTo(400);
        assertThat(app.get("/dts/staging/4b86e181-8c83-447e-aada-af9232af7da0/files").status()).isEqualTo(404);
    }
}
