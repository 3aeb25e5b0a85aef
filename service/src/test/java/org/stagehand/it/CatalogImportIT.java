package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * The import-catalog task against the running service's database, and paths that clash as
 * directory and file: refused at import naming the first, and failed at once when staging finds
 * something in the way. Runs once per database: see the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogImportIT {

    private Path directory;
    private Path stagingRoot;
    private StagehandTestApp app;

    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("blocked", "way/blocked.bin", 100)
                .file("below-a-file", "lane/file/below.bin", 100);
        stagingRoot = directory.resolve("staging");
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), stagingRoot, archive.root(),
                archive.writeCatalog(directory.resolve("catalog.json")))).start();
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    private Reply importTask(Path file) {
        return app.runTask("import-catalog?file=" + URLEncoder.encode(file.toString(), StandardCharsets.UTF_8));
    }

    @Test
    void malformedFileOrADirectoryGetsTheErrorLineNotA500() throws Exception {
        Path malformed = directory.resolve("malformed.json");
        Files.writeString(malformed, "{\"resources\": [{\"id\": \"m\", \"path\": \"m.bin\"},,]}");

        Reply file = importTask(malformed);
        Reply dir = importTask(directory.resolve("archive"));

        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body()).startsWith("error: malformed.json: not valid JSON").contains("nothing imported");
        assertThat(dir.status()).isEqualTo(200);
        assertThat(dir.body()).startsWith("error: ").contains("is a directory");
    }

    @Test
    void pathsClashingAsDirectoryAndFileWithTheCatalogAreRefusedNamingTheFirst() throws Exception {
        Path first = directory.resolve("first.json");
        Files.writeString(first, "{\"resources\": [{\"id\": \"ra\", \"path\": \"r/a\"}, {\"id\": \"sxy\", \"path\": \"s/x/y\"}]}");
        Path second = directory.resolve("second.json");
        Files.writeString(second, "{\"resources\": [{\"id\": \"rab\", \"path\": \"r/a/b\"}, {\"id\": \"sx\", \"path\": \"s/x\"},"
                + " {\"id\": \"ok\", \"path\": \"s/xx\"}]}");

        assertThat(importTask(first).body()).startsWith("imported 2 catalog entries, rejected 0");
        String answer = importTask(second).body();

        assertThat(answer).startsWith("imported 1 catalog entries, rejected 2");
        assertThat(answer).contains("refused: resources[0] (id 'rab'): path 'r/a/b' lies below 'r/a', the path of id 'ra'"
                + " in the catalog");
        assertThat(answer).contains("refused: resources[1] (id 'sx'): path 's/x' is a directory of 's/x/y' (id 'sxy')"
                + " in the catalog");
    }

    @Test
    void directoryInTheWayOfAFileFailsAtOnceWithoutRetries() throws Exception {
        Files.createDirectories(stagingRoot.resolve("way/blocked.bin"));
        Files.writeString(stagingRoot.resolve("way/blocked.bin/not-ours.txt"), "someone else's");

        String requestId = app.requestStaging("blocked").json().get("request_id").asText();
        JsonNode status = app.awaitStatus(requestId, "failed", Duration.ofSeconds(20));

        String message = status.get("errors").get(0).get("message").asText();
        assertThat(message).contains("in the way at 'way/blocked.bin'").doesNotContain("attempts");
        assertThat(stagingRoot.resolve("way/blocked.bin/not-ours.txt")).hasContent("someone else's");
    }

    @Test
    void fileInTheWayOfADirectoryFailsAtOnceWithoutRetries() throws Exception {
        Files.createDirectories(stagingRoot.resolve("lane"));
        Files.writeString(stagingRoot.resolve("lane/file"), "someone else's");

        String requestId = app.requestStaging("below-a-file").json().get("request_id").asText();
        JsonNode status = app.awaitStatus(requestId, "failed", Duration.ofSeconds(20));

        assertThat(status.get("errors").get(0).get("message").asText()).doesNotContain("attempts");
        assertThat(stagingRoot.resolve("lane/file")).hasContent("someone else's");
    }
}
