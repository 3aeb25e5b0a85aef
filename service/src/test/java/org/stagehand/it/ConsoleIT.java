package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
 * The operator console's JSON endpoints and pages on a running service with a request in each
 * status: ready, failed (with an error message that holds markup), staging (work paused) and
 * cancelled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ConsoleIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String HOSTILE_PATH = "hostile/<script>alert(1)</script>.bin";

    private StagehandTestApp app;
    private String ready;
    private String failed;
    private String staging;
    private String cancelled;

    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("r1", "ready/one.bin", 1_000)
                .file("r2", "ready/two.bin", 2_000)
                .file("s1", "staging/one.bin", 3_000)
                .file("k1", "cancelled/one.bin", 4_000);
        archive.missingFile("hostile", HOSTILE_PATH);
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), directory.resolve("staging"),
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                ConfigOverride.config("work.instanceName", "console-it"),
                ConfigOverride.config("lifecycle.capacity", "1MiB"))).start();
        ready = requestId(app.requestStaging("r1", "r2"));
        app.awaitStatus(ready, "ready", TIMEOUT);
        failed = requestId(app.requestStaging("hostile"));
        app.awaitStatus(failed, "failed", TIMEOUT);
        assertThat(app.runTask("pause").status()).isEqualTo(200);
        staging = requestId(app.requestStaging("s1"));
        cancelled = requestId(app.requestStaging("k1"));
        assertThat(app.runTask("cancel?id=" + cancelled).status()).isEqualTo(200);
    }

    @AfterAll
    void stopApp() {
        if (app != null) {
            app.stop();
        }
    }

    private static String requestId(Reply reply) {
        assertThat(reply.status()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    private JsonNode api(String path) {
        Reply reply = app.getAdmin("/console/api/" + path);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        return reply.json();
    }

    @Test
    void overviewCountsRequestsByStatusAcrossTheQueue() {
        JsonNode overview = api("overview");
        JsonNode requests = overview.get("requests");
        assertThat(requests.get("total").asLong()).isEqualTo(4);
        assertThat(requests.get("ready").asLong()).isEqualTo(1);
        assertThat(requests.get("failed").asLong()).isEqualTo(1);
        assertThat(requests.get("staging").asLong()).isEqualTo(1);
        assertThat(requests.get("cancelled").asLong()).isEqualTo(1);
        JsonNode files = overview.get("files");
        assertThat(files.get("due").asLong()).isEqualTo(1);
        assertThat(files.get("under_way").asLong()).isZero();
        assertThat(files.get("failed_last_hour").asLong()).isEqualTo(1);
        assertThat(overview.get("failures_last_hour").get(0).get("files").asLong()).isEqualTo(1);
        assertThat(overview.get("failures_last_hour").get(0).get("reason").asText()).contains("<script>");
        assertThat(overview.get("throughput").get("files").asLong()).isEqualTo(2);
        assertThat(overview.get("throughput").get("bytes").asLong()).isEqualTo(3_000);
        JsonNode instance = overview.get("instances").get(0);
        assertThat(instance.get("name").asText()).isEqualTo("console-it");
        assertThat(instance.get("this_instance").asBoolean()).isTrue();
        assertThat(instance.get("paused").asBoolean()).isTrue();
        assertThat(instance.get("alive").asBoolean()).isTrue();
    }

    @Test
    void overviewMeasuresTheStagingAreaAgainstItsCapacity() {
        // Measured in the background every 15 s: the first measurement may predate the copies.
        await().atMost(TIMEOUT).until(() -> api("overview").get("staging_area").path("ready_bytes").asLong() == 3_000);
        JsonNode area = api("overview").get("staging_area");
        assertThat(area.get("capacity_bytes").asLong()).isEqualTo(1 << 20);
        assertThat(area.get("ready_bytes").asLong()).isEqualTo(3_000);
        assertThat(area.get("used_bytes").asLong()).isEqualTo(3_000);
        assertThat(area.get("free_bytes").asLong()).isEqualTo((1 << 20) - 3_000);
        // The ready request completed just now: the default pin lifetime holds both copies.
        assertThat(area.get("pinned_bytes").asLong()).isEqualTo(3_000);
        assertThat(area.get("evictable_bytes").asLong()).isZero();
        assertThat(area.get("disk_free_bytes").asLong()).isPositive();
    }

    @Test
    void searchFindsRequestsByUuidFileIdPathAndStatusNewestFirst() {
        JsonNode all = api("requests").get("requests");
        assertThat(all).hasSize(4);
        assertThat(all.get(0).get("request_id").asText()).isEqualTo(cancelled);
        assertThat(all.get(3).get("request_id").asText()).isEqualTo(ready);
        assertThat(ids(api("requests?q=" + staging))).containsExactly(staging);
        assertThat(ids(api("requests?q=r2"))).containsExactly(ready);
        assertThat(ids(api("requests?q=ready%2Fone.bin"))).containsExactly(ready);
        assertThat(ids(api("requests?q=" + URLEncoder.encode(HOSTILE_PATH, StandardCharsets.UTF_8)))).containsExactly(failed);
        assertThat(ids(api("requests?status=failed"))).containsExactly(failed);
        assertThat(ids(api("requests?status=staging"))).containsExactly(staging);
        assertThat(ids(api("requests?status=cancelled"))).containsExactly(cancelled);
        assertThat(ids(api("requests?status=ready"))).containsExactly(ready);
        assertThat(ids(api("requests?q=nothing-of-that-name"))).isEmpty();
        JsonNode first = api("requests?status=ready").get("requests").get(0);
        assertThat(first.get("files").asLong()).isEqualTo(2);
        assertThat(first.get("ready").asLong()).isEqualTo(2);
    }

    private static java.util.List<String> ids(JsonNode list) {
        java.util.List<String> ids = new java.util.ArrayList<>();
        list.get("requests").forEach(request -> ids.add(request.get("request_id").asText()));
        return ids;
    }

    @Test
    void drillDownShowsFilesWorkErrorsAndTheCommandsToCopy() {
        JsonNode detail = api("requests/" + failed);
        assertThat(detail.get("status").get("status").asText()).isEqualTo("failed");
        JsonNode file = detail.get("files").get(0);
        assertThat(file.get("id").asText()).isEqualTo("hostile");
        assertThat(file.get("state").asText()).isEqualTo("failed");
        assertThat(file.get("error").asText()).contains("<script>");
        assertThat(file.get("work").asText()).isEqualTo("failed");
        assertThat(detail.get("commands").get(0).get("command").asText())
                .isEqualTo("curl -X POST 'http://localhost:" + app.adminPort() + "/tasks/cancel?id=" + failed + "'");

        JsonNode queued = api("requests/" + staging);
        assertThat(queued.get("files").get(0).get("work").asText()).isEqualTo("pending");
        assertThat(queued.get("status").get("files").get("staging").asLong()).isEqualTo(1);
    }

    @Test
    void pagesEscapeErrorMessagesAndSearchText() {
        Reply page = app.getAdmin("/console/requests/" + failed);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(page.raw().headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                policy -> assertThat(policy).contains("script-src 'self'"));
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert");
        Reply overview = app.getAdmin("/console/");
        assertThat(overview.body()).contains("&lt;script&gt;").doesNotContain("<script>alert");
        Reply search = app.getAdmin("/console/requests?q=" + URLEncoder.encode("\"><script>alert(2)</script>",
                StandardCharsets.UTF_8));
        assertThat(search.status()).isEqualTo(200);
        assertThat(search.body()).contains("&quot;&gt;&lt;script&gt;alert(2)").doesNotContain("<script>alert");
    }

    @Test
    void hostileAddressesGetPlainRefusals() {
        Reply notUuid = app.getAdmin("/console/api/requests/%3Cscript%3E");
        assertThat(notUuid.status()).isEqualTo(400);
        assertThat(notUuid.json().get("code").asInt()).isEqualTo(400);
        assertThat(notUuid.body()).doesNotContain("<script>").doesNotContain("Exception");
        Reply notUuidPage = app.getAdmin("/console/requests/%3Cscript%3E");
        assertThat(notUuidPage.status()).isEqualTo(400);
        assertThat(notUuidPage.body()).doesNotContain("<script>");
        assertThat(app.getAdmin("/console/api/requests/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        assertThat(app.getAdmin("/console/api/requests?status=bogus").status()).isEqualTo(400);
        assertThat(app.getAdmin("/console/api/requests?before=yesterday").status()).isEqualTo(400);
        assertThat(app.getAdmin("/console/api/requests?q=%00").status()).isEqualTo(400);
        assertThat(app.getAdmin("/console/no-such-page").status()).isEqualTo(404);
        assertThat(app.getAdmin("/console/assets/..%2Fconsole.css").status()).isIn(400, 404);
        assertThat(app.getAdmin("/console/assets/overview.mustache").status()).isEqualTo(404);
        assertThat(app.getAdmin("/console/assets/console.css").status()).isEqualTo(200);
    }

    @Test
    void tapeViewShowsTheQueueAndSaysWhatTheBackendDoesNotReport() {
        JsonNode tape = api("tape");
        assertThat(tape.get("volumes_reported").asBoolean()).isFalse();
        assertThat(tape.get("note").asText()).contains("does not report volumes");
        assertThat(tape.get("queue").get("files").asLong()).isEqualTo(1);
        assertThat(tape.get("queue").get("bytes").asLong()).isEqualTo(3_000);
        assertThat(app.getAdmin("/console/tape").body()).contains("does not report volumes");
    }
}
