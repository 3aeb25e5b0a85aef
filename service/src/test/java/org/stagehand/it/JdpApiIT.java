package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.stagehand.testing.DtsJdpClient;
import org.stagehand.testing.DtsJdpClient.Answer;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The JDP-compatible door driven by a client that sends the DTS's own bytes ({@link DtsJdpClient}),
 * checked against what the DTS's Go client parses ({@code dts-jdp-client.md}). Runs once per
 * database: see the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdpApiIT {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final String ORCID = "0000-0002-1825-0097";
    /** One of the secrets in STAGEHAND_IT_JDP_DOOR_SECRETS (pom.xml). */
    static final String SECRET = "door-s3cr3t-Qw7x";
    static final String PREFIX = "/global/dna/dm_archive/";

    Path directory;
    TestArchive archive;
    TestDatabase database;
    Path catalog;
    Path stagingRoot;
    StagehandTestApp app;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        archive = new TestArchive(directory.resolve("archive"))
                .file("615a383dcc4ff44f36ca5ba2", "rqc/x/a.fq.gz", 10_000)
                .file("61412246cc4ff44f36c8913f", "top.fasta", 2_345)
                .file("sha-only", "other/sha.bin", 100)
                .sha256Only("sha-only")
                .file("bad-hash", "bad/hash.bin", 1_000)
                .wrongChecksum("bad-hash")
                .file("restart-1", "restart/one.bin", 5_000)
                .file("shared-1", "shared/one.bin", 6_000)
                .file("cancel-me", "cancel/me.bin", 7_000)
                .missingFile("late", "late/file.bin");
        for (int i = 0; i < 51; i++) {
            archive.file("many-" + i, "many/" + i + ".bin", 10);
        }
        catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        stagingRoot = directory.resolve("staging");
        database = database(directory);
        app = newApp().start();
        captureLogs();
    }

    /** Every line logged from now on is kept; an app's start resets logging, so again after each. */
    private void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    }

    StagehandTestApp newApp(ConfigOverride... more) {
        List<ConfigOverride> overrides = new ArrayList<>(List.of(
                ConfigOverride.config("jdpApi.enabled", "true"),
                ConfigOverride.config("jdpApi.secretsEnvironmentVariable", "STAGEHAND_IT_JDP_DOOR_SECRETS")));
        overrides.addAll(List.of(more));
        return new StagehandTestApp(StagehandTestApp.overrides(database, stagingRoot, archive.root(), catalog,
                overrides.toArray(ConfigOverride[]::new)));
    }

    @AfterAll
    void stopApp() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
        if (app != null) {
            app.stop();
        }
    }

    DtsJdpClient dts() {
        return new DtsJdpClient(app.port(), ORCID, SECRET);
    }

    @Test
    void searchAnswersExactlyTheRequestedFilesWithTheTypesTheDtsParses() {
        Answer answer = dts().search(List.of("615a383dcc4ff44f36ca5ba2", "JDP:61412246cc4ff44f36c8913f", "sha-only",
                "not-in-the-catalog"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode organisms = answer.json().get("organisms");
        assertThat(organisms.isArray()).isTrue();
        assertThat(organisms).hasSize(1);
        JsonNode organism = organisms.get(0);
        for (String key : List.of("id", "name", "title")) {
            assertThat(organism.get(key).isTextual()).as(key).isTrue();
        }
        JsonNode files = organism.get("files");
        assertThat(files).as("unknown IDs are left out").hasSize(3);
        for (JsonNode file : files) {
            assertTypesTheDtsParses(file);
        }
        JsonNode nested = files.get(0);
        assertThat(nested.get("_id").asText()).isEqualTo("615a383dcc4ff44f36ca5ba2");
        assertThat(nested.get("file_name").asText()).isEqualTo("a.fq.gz");
        assertThat(nested.get("file_path").asText()).isEqualTo(PREFIX + "rqc/x");
        assertThat(nested.get("file_size").asLong()).isEqualTo(10_000);
        assertThat(nested.get("md5sum").asText()).isEqualTo(TestArchive.md5(bytes("rqc/x/a.fq.gz")));
        assertThat(dtsPath(nested)).isEqualTo("rqc/x/a.fq.gz");
        JsonNode top = files.get(1);
        assertThat(top.get("_id").asText()).isEqualTo("61412246cc4ff44f36c8913f");
        assertThat(top.get("file_path").asText()).as("a top-level file: the prefix, with its slash").isEqualTo(PREFIX);
        assertThat(dtsPath(top)).isEqualTo("top.fasta");
        assertThat(files.get(2).get("md5sum").asText()).as("only a SHA-256 in the catalog").isEmpty();
    }

    @Test
    void searchWithoutTheTrailingSlashAndWithNothingFound() {
        Answer answer = dts().post("/search/by_file_ids", "{\"ids\":[\"nothing-here\"],\"aggregations\":true,"
                + "\"include_private_data\":1}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("organisms")).isEmpty();
    }

    /** Every key the DTS's structs declare that the answer has, with the JSON type Go decodes it into. */
    static void assertTypesTheDtsParses(JsonNode file) {
        assertThat(file.get("_id").isTextual()).isTrue();
        assertThat(file.get("file_name").isTextual()).isTrue();
        assertThat(file.get("file_path").isTextual()).isTrue();
        assertThat(file.get("file_size").isNumber()).isTrue();
        assertThat(file.get("md5sum").isTextual()).isTrue();
        assertThat(file.get("md5sum").asText()).matches("[0-9a-f]{32}|");
        Set<String> known = Set.of("_id", "file_name", "file_path", "file_size", "md5sum");
        for (Iterator<String> names = file.fieldNames(); names.hasNext(); ) {
            assertThat(known).as("a key whose Go type was not checked").contains(names.next());
        }
        assertThat(file.toString()).doesNotContain("null");
    }

    /** What the DTS makes of a descriptor: filepath.Join(TrimPrefix(file_path, prefix), file_name). */
    static String dtsPath(JsonNode file) {
        String directory = file.get("file_path").asText();
        String trimmed = directory.startsWith(PREFIX) ? directory.substring(PREFIX.length()) : directory;
        return Paths.get(trimmed, file.get("file_name").asText()).normalize().toString();
    }

    @Test
    void stageAndPollUntilReadyThenTheBytesAreAtTheStagingRootAndPath() throws Exception {
        Answer search = dts().search(List.of("615a383dcc4ff44f36ca5ba2", "61412246cc4ff44f36c8913f"));
        Answer staged = dts().stage(List.of("615a383dcc4ff44f36ca5ba2", "61412246cc4ff44f36c8913f"));

        assertThat(staged.status()).as(staged.body()).isEqualTo(201);
        JsonNode requestId = staged.json().get("request_id");
        assertThat(requestId.isIntegralNumber()).as("a JSON integer, for Go's int").isTrue();
        assertThat(requestId.asLong()).isBetween(1L, 1L << 53);
        UUID uuid = UUID.fromString(staged.json().get("staging_request_id").asText());

        JsonNode ready = pollUntil(requestId.asText(), "ready");
        assertThat(ready.get("staging_request_id").asText()).isEqualTo(uuid.toString());
        for (JsonNode file : search.json().get("organisms").get(0).get("files")) {
            Path copy = stagingRoot.resolve(dtsPath(file));
            assertThat(copy).hasBinaryContent(bytes(dtsPath(file)));
            assertThat(TestArchive.md5(java.nio.file.Files.readAllBytes(copy))).isEqualTo(file.get("md5sum").asText());
        }

        // The ORCID is recorded with the request and shown; the secret never is.
        JsonNode page = app.get("/dts/staging/" + uuid + "/files").json();
        assertThat(page.get("requester_orcid").asText()).isEqualTo(ORCID);
        assertThat(loggedLines()).anyMatch(line -> line.contains(ORCID) && line.contains(requestId.asText()));
        assertThat(loggedLines()).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void stagingWithoutTheTrailingSlashAndWithTheSecondSecret() {
        Answer staged = new DtsJdpClient(app.port(), ORCID, "second-s3cr3t").post("/request_archived_files",
                "{\"ids\":[\"61412246cc4ff44f36c8913f\"],\"send_email\":false,\"api_version\":\"2\",\"include_private_data\":1}");

        assertThat(staged.status()).as(staged.body()).isEqualTo(201);
        pollUntil(staged.json().get("request_id").asText(), "ready");
    }

    @Test
    void integerIdsAreRandomNotSequential() {
        long first = accepted(dts().stage(List.of("61412246cc4ff44f36c8913f")));
        long second = accepted(dts().stage(List.of("61412246cc4ff44f36c8913f")));

        assertThat(second).isNotEqualTo(first);
        assertThat(Math.abs(second - first)).isGreaterThan(1000);
    }

    @Test
    void wrongAndMissingCredentialsAre401AndNeverEchoTheSecret() {
        String wrong = "not-the-s3cr3t";
        List<DtsJdpClient> refused = List.of(
                dts().withAuthorization(null),
                dts().withAuthorization("Token " + ORCID + "_" + wrong),
                dts().withAuthorization("Token " + SECRET),
                dts().withAuthorization("Token " + ORCID + "_"),
                dts().withAuthorization("Bearer " + ORCID + "_" + SECRET),
                dts().withAuthorization("Token " + "0000\u2028evil_" + SECRET));
        for (DtsJdpClient client : refused) {
            for (Answer answer : List.of(client.search(List.of("61412246cc4ff44f36c8913f")),
                    client.stage(List.of("61412246cc4ff44f36c8913f")))) {
                assertThat(answer.status()).as(answer.body()).isEqualTo(401);
                assertThat(answer.json().get("code").asInt()).isEqualTo(401);
                assertThat(answer.body()).doesNotContain(SECRET).doesNotContain(wrong);
            }
        }
        assertThat(loggedLines()).noneMatch(line -> line.contains(SECRET) || line.contains(wrong));
    }

    @Test
    void unknownIdsAre404() {
        Answer unknownFile = dts().stage(List.of("61412246cc4ff44f36c8913f", "no-such-file"));
        assertThat(unknownFile.status()).as(unknownFile.body()).isEqualTo(404);
        assertThat(unknownFile.json().get("unknown_ids").get(0).asText()).isEqualTo("no-such-file");

        for (String id : List.of("12345", "0", "-1", "9007199254740993", "abc", "1.5")) {
            Answer status = dts().status(id);
            assertThat(status.status()).as(id + ": " + status.body()).isEqualTo(404);
            assertThat(status.json().get("code").asInt()).isEqualTo(404);
        }
    }

    @Test
    void anEmptyListIsA400ThatSaysWhy() {
        Answer answer = dts().stage(List.of());

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().get("message").asText()).contains("empty").contains("JDP:");
    }

    @Test
    void moreFilesThanTheLimitAre413() {
        Answer answer = dts().stage(IntStream.range(0, 51).mapToObj(i -> "many-" + i).toList());

        assertThat(answer.status()).as(answer.body()).isEqualTo(413);
        assertThat(answer.json().get("message").asText()).contains("at most 50");
    }

    @Test
    void aFailedRequestAnswersFailedWithItsErrorsAndUuidAndIsCounted() {
        long before = meter("stagehand.jdp-api.failed-or-cancelled-polls");
        long id = accepted(dts().stage(List.of("bad-hash")));

        JsonNode failed = pollUntil(Long.toString(id), "failed");

        assertThat(failed.get("staging_request_id").asText()).isNotBlank();
        assertThat(failed.get("errors").get(0).get("id").asText()).isEqualTo("bad-hash");
        assertThat(failed.get("errors").get(0).get("message").asText()).contains("checksum");
        assertThat(meter("stagehand.jdp-api.failed-or-cancelled-polls")).isGreaterThan(before);
    }

    @Test
    void theOperatorsWorkaroundForAFailureTheDtsCannotBeToldRetryTheSameIntegerId() throws Exception {
        long id = accepted(dts().stage(List.of("late")));
        String uuid = pollUntil(Long.toString(id), "failed").get("staging_request_id").asText();
        java.nio.file.Files.createDirectories(archive.root().resolve("late"));
        java.nio.file.Files.write(archive.root().resolve("late/file.bin"), new byte[] {4, 2});

        assertThat(app.runTask("retry?id=" + uuid).body()).contains("1 files queued again");

        JsonNode ready = pollUntil(Long.toString(id), "ready");
        assertThat(ready.get("errors")).isEmpty();
        assertThat(stagingRoot.resolve("late/file.bin")).hasBinaryContent(new byte[] {4, 2});
    }

    @Test
    void aCancelledRequestAnswersCancelled() {
        assertThat(app.runTask("pause").status()).isEqualTo(200);
        try {
            Answer staged = dts().stage(List.of("cancel-me"));
            long id = accepted(staged);
            assertThat(dts().status(Long.toString(id)).json().get("status").asText()).isEqualTo("new");
            String uuid = staged.json().get("staging_request_id").asText();
            assertThat(app.runTask("cancel?id=" + uuid).body()).contains("cancelled");

            JsonNode cancelled = pollUntil(Long.toString(id), "cancelled");
            assertThat(cancelled.get("files").get("cancelled").asInt()).isEqualTo(1);
        } finally {
            app.runTask("resume");
        }
    }

    @Test
    void aRequestStagedBeforeARestartIsAnsweredAfterIt() throws Exception {
        assertThat(app.runTask("pause").status()).isEqualTo(200);
        long id = accepted(dts().stage(List.of("restart-1")));
        app.stop();
        app = newApp().start();
        captureLogs();

        pollUntil(Long.toString(id), "ready");
        assertThat(stagingRoot.resolve("restart/one.bin")).hasBinaryContent(bytes("restart/one.bin"));
    }

    @Test
    void aRequestWithAnIntegerIdIsKeptForSevenDaysWhateverTheRetention() throws Exception {
        app.stop();
        app = newApp(ConfigOverride.config("lifecycle.requestRetention", "0s")).start();
        captureLogs();
        try {
            long id = accepted(dts().stage(List.of("61412246cc4ff44f36c8913f")));
            String uuid = pollUntil(Long.toString(id), "ready").get("staging_request_id").asText();
            String viaDts = app.requestStaging("61412246cc4ff44f36c8913f").json().get("request_id").asText();
            app.awaitStatus(viaDts, "ready", TIMEOUT);

            assertThat(app.runTask("evict").body()).containsPattern("purged [1-9]\\d* expired requests");

            assertThat(app.get("/dts/staging?id=" + viaDts).status()).as("past its retention").isEqualTo(404);
            Answer kept = dts().status(Long.toString(id));
            assertThat(kept.status()).as("the integer ID within 7 days: " + kept.body()).isEqualTo(200);
            assertThat(kept.json().get("status").asText()).isEqualTo("ready");
            assertThat(app.get("/dts/staging?id=" + uuid).status()).isEqualTo(200);
        } finally {
            app.stop();
            app = newApp().start();
            captureLogs();
        }
    }

    long accepted(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().get("request_id").isIntegralNumber()).isTrue();
        return answer.json().get("request_id").asLong();
    }

    /** Polls as the DTS does until {@code wanted}; every answer on the way is a 200 with a word the DTS reads. */
    JsonNode pollUntil(String id, String wanted) {
        return pollUntil(app, id, wanted);
    }

    static JsonNode pollUntil(StagehandTestApp app, String id, String wanted) {
        JsonNode[] last = new JsonNode[1];
        DtsJdpClient client = new DtsJdpClient(app.port(), ORCID, SECRET);
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
            Answer answer = client.status(id);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            last[0] = answer.json();
            assertThat(last[0].get("status").isTextual()).isTrue();
            String status = last[0].get("status").asText();
            assertThat(status).isIn("new", "pending", wanted);
            return wanted.equals(status);
        });
        return last[0];
    }

    private long meter(String name) {
        JsonNode meters = app.getAdmin("/metrics").json().get("meters");
        return meters.has(name) ? meters.get(name).get("count").asLong() : 0;
    }

    private List<String> loggedLines() {
        return List.copyOf(logs.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private byte[] bytes(String path) {
        try {
            return archive.bytes(path);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
