package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Input no database can store, or that could be read two ways, is refused with a 400 JSON error
 * before it reaches the database, and the service keeps serving. Runs once per database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private StagehandTestApp app;
    private Path directory;
    private String readyRequest;

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("h1", "hostile/one.txt", 100)
                .file("h2", "hostile/two.txt", 100)
                .file("blocked", "hostile/blocked.txt", 100);
        this.directory = directory;
        app = new StagehandTestApp(StagehandTestApp.overrides(database(directory), directory.resolve("staging"),
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json")))).start();
        readyRequest = app.requestStaging("h1", "h2").json().get("request_id").asText();
        app.awaitStatus(readyRequest, "ready", TIMEOUT);
    }

    @AfterAll
    void stopApp() {
        app.stop();
    }

    private Reply postBytes(byte[] body) {
        return app.send(HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), "/dts/staging");
    }

    /** {@code {"ids": ["h1", "<prefix><bytes>"]}} with raw bytes in the second ID. */
    private static byte[] bodyWithRawBytes(int... bytes) {
        byte[] head = "{\"ids\": [\"h1\", \"x".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"]}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[head.length + bytes.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        for (int i = 0; i < bytes.length; i++) {
            body[head.length + i] = (byte) bytes[i];
        }
        System.arraycopy(tail, 0, body, head.length + bytes.length, tail.length);
        return body;
    }

    private static void assertPlain400(Reply reply, String... mentions) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.json().get("code").asInt()).isEqualTo(400);
        String message = reply.json().get("message").asText();
        assertThat(message).doesNotContain("Exception", "at [Source", "\tat ");
        for (String mention : mentions) {
            assertThat(message).contains(mention);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x\\u0000y", "\\u0000"})
    void anIdHoldingANulCharacterAnswers400(String escaped) {
        Reply reply = app.post("/dts/staging", "application/json", "{\"ids\": [\"h1\", \"" + escaped + "\"]}");

        assertPlain400(reply, "ids[1]", "NUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "x\\udc00y", "\\udbff"})
    void anIdHoldingALoneSurrogateAnswers400(String escaped) {
        Reply reply = app.post("/dts/staging", "application/json", "{\"ids\": [\"h1\", \"" + escaped + "\"]}");

        assertPlain400(reply, "ids[1]", "not valid Unicode");
    }

    @Test
    void invalidOrOverlongUtf8InTheBodyAnswers400() {
        assertPlain400(postBytes(bodyWithRawBytes(0xff)));
        assertPlain400(postBytes(bodyWithRawBytes(0xc3))); // truncated sequence
        assertPlain400(postBytes(bodyWithRawBytes(0xc0, 0x80))); // overlong NUL
        assertPlain400(postBytes(bodyWithRawBytes(0xe0, 0x80, 0xaf))); // overlong '/'
        assertPlain400(postBytes(bodyWithRawBytes(0xed, 0xa0, 0x80))); // an encoded surrogate
        assertPlain400(postBytes(bodyWithRawBytes(0xf4, 0x90, 0x80, 0x80))); // above U+10FFFF
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "a%00b", "%C0%80", "%FF", "%E0%80%AF", "%ED%A0%80"})
    void unstorableTextInAfterAnswers400(String after) {
        Reply reply = app.get("/dts/staging/" + readyRequest + "/files?after=" + after);

        assertPlain400(reply);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"ids\": [\"h1\"], \"ids\": [\"h2\"]}",
        "{\"ids\": [\"h1\"], \"other\": {\"a\": 1, \"a\": 2}}",
    })
    void aBodyNamingAKeyTwiceAnswers400(String body) {
        Reply reply = app.post("/dts/staging", "application/json", body);

        assertPlain400(reply, "more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/dts/staging?id=ID&id=ID",
        "/dts/staging?id=ID&id=4b86e181-8c83-447e-aada-af9232af7da0",
        "/dts/staging/ID/files?limit=1&limit=5000",
        "/dts/staging/ID/files?after=h1&after=h2",
        "/dts/staging/ID/files?limit=1&after=h1&limit=1",
    })
    void aRepeatedQueryParameterAnswers400NamingIt(String path) {
        Reply reply = app.get(path.replace("ID", readyRequest));

        String name = path.substring(path.lastIndexOf('&') + 1, path.lastIndexOf('='));
        assertPlain400(reply, "'" + name + "'", "more than once");
    }

    @Test
    void aRepeatedQueryParameterIsRefusedOnPostsToo() {
        Reply reply = app.send(HttpRequest.newBuilder().header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ids\": [\"h1\"]}")), "/dts/staging?x=1&x=2");

        assertPlain400(reply, "'x'", "more than once");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "%C0%80", "%FF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80"})
    void unstorableOrUndecodableTextInAnyQueryParameterAnswers400(String value) {
        assertPlain400(app.get("/dts/staging?id=" + value), "'id'");
        assertPlain400(app.get("/dts/staging/" + readyRequest + "/files?limit=" + value), "'limit'");
        assertPlain400(app.get("/dts/staging/" + readyRequest + "?anything=" + value), "'anything'");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "cancel?id=ID&id=ID",
        "retry?id=ID&id=ID",
        "evict?dry-run=true&dry-run=false",
        "import-catalog?file=a&file=b",
    })
    void anAdminTaskRefusesARepeatedParameter(String task) {
        String reply = app.runTask(task.replace("ID", readyRequest)).body();

        assertThat(reply).startsWith("error: give the parameter '");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evict?dryrun=true", "evict?dry_run=true", "cancel?id=ID&force=1", "pause?now=1"})
    void anAdminTaskRefusesAParameterItDoesNotTake(String task) {
        String reply = app.runTask(task.replace("ID", readyRequest)).body();

        assertThat(reply).startsWith("error: unknown parameter '");
        assertThat(app.get("/dts/staging/" + readyRequest).json().get("status").asText())
                .as("nothing was evicted or cancelled").isEqualTo("ready");
        assertThat(app.runTask("evict?dry-run=true").body()).startsWith("would evict 0 copies");
    }

    @Test
    void errorsShowNoServerPathAndNoJavaClassName() throws Exception {
        // A directory stands where the file should go: the rename fails with the file system's error.
        Files.createDirectories(directory.resolve("staging/hostile/blocked.txt"));
        String requestId = app.requestStaging("blocked").json().get("request_id").asText();

        JsonNode status = app.awaitStatus(requestId, "failed", TIMEOUT);
        String message = status.get("errors").get(0).get("message").asText();
        String fileError = app.get("/dts/staging/" + requestId + "/files").json().get("files").get(0).get("error").asText();

        for (String shown : List.of(message, fileError)) {
            assertThat(shown).contains("hostile/blocked.txt")
                    .doesNotContain(directory.toString(), directory.toRealPath().toString(), "Exception", "java.");
        }
    }

    @Test
    void theServiceKeepsServingEveryoneAfterUnstorableInput() {
        app.post("/dts/staging", "application/json", "{\"ids\": [\"\\u0000\"]}");
        postBytes(bodyWithRawBytes(0xc0, 0x80));

        assertThat(app.requestStaging("h1", "h2").status()).isEqualTo(201);
        assertThat(app.get("/dts/staging/" + readyRequest + "/files?after=h1").json().get("files").get(0)
                .get("id").asText()).isEqualTo("h2");
    }
}
