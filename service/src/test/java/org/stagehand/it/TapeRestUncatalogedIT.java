package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code tapeRest.resolveUnknownPaths}: a path that is not in the catalog is looked up in the
 * archive (POSIX: a stat) and staged when a file is there; nothing there, or a link leading out of
 * the archive, fails that file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapeRestUncatalogedIT {

    private Path directory;
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("cataloged", "known/k.bin", 10);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Files.createDirectories(archive.root().resolve("raw"));
        Files.writeString(archive.root().resolve("raw/x.bin"), "uncataloged bytes");
        Files.writeString(Files.createDirectories(directory.resolve("elsewhere")).resolve("secret.bin"), "outside");
        Files.createSymbolicLink(archive.root().resolve("raw/escape.bin"), directory.resolve("elsewhere/secret.bin"));
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), catalog,
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("tapeRest.resolveUnknownPaths", "true"),
                ConfigOverride.config("dataDoor.enabled", "true"))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void aFileFoundInTheArchiveIsStagedAndServedAndOnlyMissingOrEscapingPathsFail() throws Exception {
        Reply accepted = app.post("/api/v1/stage", "application/json", "{\"files\": [{\"path\": \"/archive/raw/x.bin\"},"
                + " {\"path\": \"/archive/raw/none.bin\"}, {\"path\": \"/archive/raw/escape.bin\"}, {\"path\": \"/archive/known/k.bin\"}]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        String id = accepted.json().get("requestId").asText();

        JsonNode[] status = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            status[0] = app.get("/api/v1/stage/" + id).json();
            return status[0].has("completedAt");
        });

        JsonNode files = status[0].get("files");
        assertThat(files.get(0).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(files.get(1).get("state").asText()).isEqualTo("FAILED");
        assertThat(files.get(1).get("error").asText()).contains("no such file");
        assertThat(files.get(2).get("state").asText()).isEqualTo("FAILED");
        assertThat(files.get(3).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(directory.resolve("staging/raw/x.bin")).hasContent("uncataloged bytes");
        assertThat(directory.resolve("staging/raw/escape.bin")).doesNotExist();
        assertThat(app.get("/archive/raw/x.bin").body()).isEqualTo("uncataloged bytes");
    }

    @Test
    void archiveInfoLooksUncatalogedPathsUpInTheArchive() {
        Reply reply = app.post("/api/v1/archiveinfo", "application/json",
                "{\"paths\": [\"/archive/raw/x.bin\", \"/archive/raw/missing.bin\", \"/archive/raw/escape.bin\"]}");

        assertThat(reply.json().get(0).get("locality").asText()).isIn("TAPE", "DISK_AND_TAPE");
        assertThat(reply.json().get(1).has("error")).isTrue();
        assertThat(reply.json().get(2).has("error")).isTrue();
    }
}
