package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestDatabase;

/**
 * {@code tapeRest.resolveUnknownPaths} on HPSS: a path that is not in the catalog is looked up with
 * {@code hsi ls -P} (the stand-in, real processes), then staged from tape like any cataloged file;
 * a path hsi says is missing fails, and a path hsi cannot answer for is "try again", never "no such file".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapeRestHpssUncatalogedIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private HpssStagingIT.StandInHpss hpss;
    private Path stagingRoot;
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        hpss = new HpssStagingIT.StandInHpss(directory.resolve("hpss"));
        hpss.onTape("cataloged", "known/k.bin", 10, "KA0001", 5, 0).onTape("cataloged-2", "known/k2.bin", 10, "KA0001", 6, 0);
        uncataloged("raw/x.bin", "uncataloged tape bytes", "RA0001 40 0");
        uncataloged("raw/cached.bin", "on the disk cache", null);
        uncataloged("raw/info.bin", "never staged", "RA0002 7 0");
        uncataloged("raw/flaky.bin", "hsi fails once", "RA0002 9 0");
        uncataloged("raw/flaky-stage.bin", "hsi fails once", "RA0002 11 0");
        hpss.fail("ls", "raw/flaky.bin", "exit75", 1).fail("ls", "raw/flaky-stage.bin", "exit75", 1);
        stagingRoot = directory.resolve("staging");
        List<ConfigOverride> extra = new ArrayList<>(List.of(
                ConfigOverride.config("tapeRest.enabled", "true"),
                ConfigOverride.config("tapeRest.resolveUnknownPaths", "true"),
                ConfigOverride.config("dataDoor.enabled", "true")));
        app = hpss.app(TestDatabase.h2(directory.resolve("db")), stagingRoot, extra).start();
    }

    /** A file in the HPSS namespace (and on tape when {@code place} is "VOLUME position offset") that no catalog names. */
    private void uncataloged(String path, String content, String place) throws IOException {
        Path file = hpss.archive.root().resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        if (place != null) {
            Files.writeString(hpss.tapes, HpssStagingIT.ARCHIVE_ROOT + "/" + path + " " + place + "\n", StandardOpenOption.APPEND);
        }
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void uncatalogedPathsAreFoundWithLsAndStagedFromTapeAndMissingOnesFail() {
        Reply accepted = app.post("/api/v1/stage", "application/json", "{\"files\": [{\"path\": \"/archive/raw/x.bin\"},"
                + " {\"path\": \"/archive/raw/none.bin\"}, {\"path\": \"/archive/raw/cached.bin\"}, {\"path\": \"/archive/known/k.bin\"}]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
        String id = accepted.json().get("requestId").asText();

        JsonNode status = awaitCompleted(id);

        JsonNode files = status.get("files");
        assertThat(files.get(0).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(files.get(1).get("state").asText()).isEqualTo("FAILED");
        assertThat(files.get(1).get("error").asText()).contains("no such file");
        assertThat(files.get(2).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(files.get(3).get("state").asText()).isEqualTo("COMPLETED");
        assertThat(stagingRoot.resolve("raw/x.bin")).hasContent("uncataloged tape bytes");
        assertThat(app.get("/archive/raw/cached.bin").body()).isEqualTo("on the disk cache");
        Reply info = app.post("/api/v1/archiveinfo", "application/json", "{\"paths\": [\"/archive/raw/x.bin\"]}");
        assertThat(info.json().get(0).get("locality").asText()).isEqualTo("DISK_AND_TAPE");
    }

    @Test
    void archiveInfoAsksHsiAboutUncatalogedPaths() {
        Reply reply = app.post("/api/v1/archiveinfo", "application/json",
                "{\"paths\": [\"/archive/raw/info.bin\", \"/archive/raw/missing.bin\", \"/archive/known/k2.bin\"]}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get(0).get("locality").asText()).isEqualTo("TAPE");
        assertThat(reply.json().get(1).get("error").asText()).contains("no such file");
        assertThat(reply.json().get(2).get("locality").asText()).isEqualTo("TAPE");
    }

    @Test
    void aPathHsiCannotAnswerForIsUnavailableNotMissing() {
        Reply reply = app.post("/api/v1/archiveinfo", "application/json", "{\"paths\": [\"/archive/raw/flaky.bin\"]}");

        assertThat(reply.json().get(0).has("error")).as(reply.body()).isFalse();
        assertThat(reply.json().get(0).get("locality").asText()).isEqualTo("UNAVAILABLE");
        Reply again = app.post("/api/v1/archiveinfo", "application/json", "{\"paths\": [\"/archive/raw/flaky.bin\"]}");
        assertThat(again.json().get(0).get("locality").asText()).as("once hsi answers").isEqualTo("TAPE");
    }

    @Test
    void aStagedPathHsiCannotAnswerForFailsSayingTryAgainNotNoSuchFile() {
        Reply accepted = app.post("/api/v1/stage", "application/json", "{\"files\": [{\"path\": \"/archive/raw/flaky-stage.bin\"}]}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);

        JsonNode file = awaitCompleted(accepted.json().get("requestId").asText()).get("files").get(0);

        assertThat(file.get("state").asText()).isEqualTo("FAILED");
        assertThat(file.get("error").asText()).contains("cannot say now").doesNotContain("no such file");
    }

    private JsonNode awaitCompleted(String id) {
        JsonNode[] status = new JsonNode[1];
        await().atMost(TIMEOUT).until(() -> {
            status[0] = app.get("/api/v1/stage/" + id).json();
            return status[0].has("completedAt");
        });
        return status[0];
    }
}
