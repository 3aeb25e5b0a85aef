package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/** Metrics move with the work; health checks fail with an actionable message and recover. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsAndHealthIT {

    private Path archiveRoot;
    private Path stagingRoot;
    private StagehandTestApp app;

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("m1", "m/one.bin", 1_234)
                .file("m2", "m/two.bin", 4_321)
                .file("bad", "m/bad.bin", 10)
                .wrongChecksum("bad");
        archiveRoot = archive.root();
        stagingRoot = directory.resolve("staging");
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")), stagingRoot,
                archiveRoot, archive.writeCatalog(directory.resolve("catalog.json")))).start();
    }

    @AfterAll
    void stopApp() {
        app.stop();
    }

    private long metric(String name) {
        String text = app.getAdmin("/prometheus").body();
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        assertThat(matcher.find()).as(name + " in " + text).isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }

    /** A counter's value, 0 while it has never been marked (and so is not exported yet). */
    private long counter(String name) {
        return app.getAdmin("/prometheus").body().contains(name) ? metric(name) : 0;
    }

    @Test
    void prometheusCountersMoveWithRequestsAndStagedFiles() {
        long accepted = metric("stagehand_requests_accepted_total");
        long rejected404 = counter("stagehand_requests_rejected_404_total");
        long rejected400 = counter("stagehand_requests_rejected_400_total");
        long rejected415 = counter("stagehand_requests_rejected_415_total");
        long rejected = metric("stagehand_requests_rejected_total");
        long staged = metric("stagehand_work_files_staged_total");
        long bytes = metric("stagehand_work_bytes_staged_total");
        long verificationFailures = counter("stagehand_work_files_failed_verification_total");

        String requestId = app.requestStaging("m1", "m2", "bad").json().get("request_id").asText();
        app.requestStaging("unknown-id");
        // Refused before the resource runs: counted all the same.
        assertThat(app.post("/dts/staging", "application/json", "not json").status()).isEqualTo(400);
        assertThat(app.post("/dts/staging", "text/plain", "{}").status()).isEqualTo(415);
        app.awaitStatus(requestId, "failed", Duration.ofSeconds(20));

        assertThat(metric("stagehand_requests_accepted_total")).isEqualTo(accepted + 1);
        assertThat(metric("stagehand_requests_rejected_404_total")).isEqualTo(rejected404 + 1);
        assertThat(metric("stagehand_requests_rejected_400_total")).isEqualTo(rejected400 + 1);
        assertThat(metric("stagehand_requests_rejected_415_total")).isEqualTo(rejected415 + 1);
        assertThat(metric("stagehand_requests_rejected_total")).isEqualTo(rejected + 3);
        assertThat(metric("stagehand_work_files_staged_total")).isEqualTo(staged + 2);
        assertThat(metric("stagehand_work_bytes_staged_total")).isEqualTo(bytes + 1_234 + 4_321);
        assertThat(metric("stagehand_work_files_failed_verification_total")).isEqualTo(verificationFailures + 1);
        assertThat(metric("stagehand_work_files_awaiting_promotion")).as("all recorded").isZero();
        assertThat(app.getAdmin("/prometheus").raw().headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
    }

    @Test
    void healthFailsWhenTheArchiveOrStagingRootGoesAwayAndRecovers() throws Exception {
        assertThat(app.getAdmin("/healthcheck").status()).isEqualTo(200);

        Path movedArchive = Files.move(archiveRoot, archiveRoot.resolveSibling("archive-away"));
        Path movedStaging = Files.move(stagingRoot, stagingRoot.resolveSibling("staging-away"));
        try {
            StagehandTestApp.Reply unhealthy = app.getAdmin("/healthcheck");
            assertThat(unhealthy.status()).isEqualTo(500);
            JsonNode checks = unhealthy.json();
            assertThat(checks.get("backend").get("healthy").asBoolean()).isFalse();
            assertThat(checks.get("backend").get("message").asText()).contains("check the mount");
            assertThat(checks.get("staging-area").get("healthy").asBoolean()).isFalse();
            assertThat(checks.get("staging-area").get("message").asText()).contains("is missing");
        } finally {
            Files.move(movedArchive, archiveRoot);
            Files.move(movedStaging, stagingRoot);
        }

        assertThat(app.getAdmin("/healthcheck").status()).isEqualTo(200);
    }
}
