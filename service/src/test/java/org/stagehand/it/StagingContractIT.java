package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The DTS contract end to end, through HTTP, with the POSIX backend over a generated archive. Runs
 * once per database: see the subclasses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StagingContractIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Path directory;
    private TestArchive archive;
    private Path stagingRoot;
    private StagehandTestApp app;

    /** The database this run uses, below {@code directory} if it needs files. */
    abstract TestDatabase database(Path directory);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        this.directory = directory;
        archive = new TestArchive(directory.resolve("archive"))
                .file("a1", "genomes/one.fasta", 10_000)
                .file("a2", "genomes/two.fasta", 2_000_000)
                .file("a3", "reads/deep/three.fastq", 0)
                .file("a4", "reads/four.fastq", 4_096)
                .file("bad-hash", "bad/hash.bin", 1_000)
                .wrongChecksum("bad-hash")
                .file("preplaced", "pre/placed.bin", 3_000)
                .missingFile("gone", "missing/gone.bin");
        for (int i = 0; i < 60; i++) {
            archive.file("many-" + i, "many/file-" + i + ".bin", 10);
        }
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

    @Test
    void stagesRequestedFilesByteForByteAndReportsReady() throws Exception {
        Reply reply = app.requestStaging("a1", "a2", "a3");

        assertThat(reply.status()).isEqualTo(201);
        String requestId = reply.json().get("request_id").asText();
        assertThat(UUID.fromString(requestId).toString()).isEqualTo(requestId);
        assertThat(reply.raw().headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/dts/staging/" + requestId));

        JsonNode status = app.awaitStatus(requestId, "ready", TIMEOUT);
        assertThat(status.get("files").get("total").asInt()).isEqualTo(3);
        assertThat(status.get("files").get("ready").asInt()).isEqualTo(3);
        assertThat(status.get("bytes").get("total").asLong()).isEqualTo(2_010_000);
        assertThat(status.get("bytes").get("ready").asLong()).isEqualTo(2_010_000);
        assertThat(status.has("completed_at")).isTrue();
        for (String path : new String[] {"genomes/one.fasta", "genomes/two.fasta", "reads/deep/three.fastq"}) {
            assertThat(stagingRoot.resolve(path)).hasBinaryContent(archive.bytes(path));
        }
        assertThat(Files.getLastModifiedTime(stagingRoot.resolve("genomes/two.fasta")))
                .isEqualTo(Files.getLastModifiedTime(archive.root().resolve("genomes/two.fasta")));
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
    }

    @Test
    void statusIsAlsoServedAtTheRequestPath() {
        String requestId = app.requestStaging("a4").json().get("request_id").asText();
        app.awaitStatus(requestId, "ready", TIMEOUT);

        Reply byPath = app.get("/dts/staging/" + requestId);

        assertThat(byPath.status()).isEqualTo(200);
        assertThat(byPath.json().get("request_id").asText()).isEqualTo(requestId);
        assertThat(byPath.json().get("status").asText()).isEqualTo("ready");
    }

    @Test
    void acceptsTheDtsPrefixAndCountsDuplicateIdsOnce() {
        Reply reply = app.requestStaging("JDP:a4", "a4", "a4");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode status = app.awaitStatus(reply.json().get("request_id").asText(), "ready", TIMEOUT);
        assertThat(status.get("files").get("total").asInt()).isEqualTo(1);
    }

    @Test
    void checksumMismatchFailsTheFileAndLeavesNothingAtItsPath() throws Exception {
        String requestId = app.requestStaging("bad-hash", "a1").json().get("request_id").asText();

        JsonNode status = app.awaitStatus(requestId, "failed", TIMEOUT);

        assertThat(status.get("files").get("failed").asInt()).isEqualTo(1);
        assertThat(status.get("files").get("ready").asInt()).isEqualTo(1);
        JsonNode error = status.get("errors").get(0);
        assertThat(error.get("id").asText()).isEqualTo("bad-hash");
        assertThat(error.get("path").asText()).isEqualTo("bad/hash.bin");
        assertThat(error.get("message").asText()).contains("checksum mismatch");
        assertThat(stagingRoot.resolve("bad/hash.bin")).doesNotExist();
        assertThat(StagehandTestApp.temporaryFilesBelow(stagingRoot)).isEmpty();
    }

    @Test
    void fileMissingFromTheArchiveFailsWithAClearMessage() {
        String requestId = app.requestStaging("gone").json().get("request_id").asText();

        JsonNode status = app.awaitStatus(requestId, "failed", TIMEOUT);

        assertThat(status.get("errors").get(0).get("message").asText()).contains("not in the archive");
        assertThat(stagingRoot.resolve("missing/gone.bin")).doesNotExist();
    }

    @Test
    void verifiedCopyAlreadyInPlaceIsReadyWithoutCopyingAgain() throws Exception {
        Path placed = stagingRoot.resolve("pre/placed.bin");
        Files.createDirectories(placed.getParent());
        Files.write(placed, archive.bytes("pre/placed.bin"));
        FileTime marker = FileTime.from(Instant.parse("2001-02-03T04:05:06Z"));
        Files.setLastModifiedTime(placed, marker);

        String requestId = app.requestStaging("preplaced").json().get("request_id").asText();
        app.awaitStatus(requestId, "ready", TIMEOUT);

        // A copy by the POSIX backend would carry the archive file's modification time.
        assertThat(Files.getLastModifiedTime(placed)).isEqualTo(marker);
    }

    @Test
    void unknownIdsAnswer404ListingThemAndQueueNothing() {
        Reply reply = app.requestStaging("a1", "no-such-1", "JDP:no-such-2");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("code").asInt()).isEqualTo(404);
        assertThat(reply.json().get("message").asText()).contains("2 of the 3 IDs");
        assertThat(reply.json().get("unknown_ids")).extracting(JsonNode::asText)
                .containsExactly("no-such-1", "no-such-2");
    }

    @Test
    void requestsArrivingTogetherAreEachAnsweredForThemselves() throws Exception {
        // Small requests that arrive at once are stored several to a transaction; a refused one
        // must not take the others with it, nor they it.
        int requests = 40;
        ExecutorService clients = Executors.newFixedThreadPool(requests);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < requests; i++) {
                String[] ids = i % 2 == 0
                        ? new String[] {"many-" + i, "many-" + (i + 1), "many-" + (i + 2)}
                        : new String[] {"many-" + i, "nope-" + i};
                replies.add(clients.submit(() -> {
                    start.await();
                    return app.requestStaging(ids);
                }));
            }
            start.countDown();
            Set<String> accepted = new HashSet<>();
            for (int i = 0; i < requests; i++) {
                Reply reply = replies.get(i).get(30, TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
                    String requestId = reply.json().get("request_id").asText();
                    assertThat(accepted.add(requestId)).as("a request ID of its own").isTrue();
                    JsonNode status = app.awaitStatus(requestId, "ready", TIMEOUT);
                    assertThat(status.get("files").get("total").asInt()).isEqualTo(3);
                    assertThat(status.get("bytes").get("total").asLong()).isEqualTo(30);
                } else {
                    assertThat(reply.status()).as(reply.body()).isEqualTo(404);
                    assertThat(reply.json().get("unknown_ids")).extracting(JsonNode::asText).containsExactly("nope-" + i);
                }
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void moreIdsThanTheLimitAnswer413NamingTheLimit() {
        String[] ids = new String[51];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "many-" + i;
        }

        Reply reply = app.requestStaging(ids);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("message").asText()).contains("at most 50");
    }

    @Test
    void bodyOverTheSizeLimitAnswers413() {
        String huge = "{\"ids\": [\"" + "x".repeat(70_000) + "\"]}";

        Reply reply = app.post("/dts/staging", "application/json", huge);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("code").asInt()).isEqualTo(413);
        // The rest of the body is never read, so the connection cannot carry another request.
        assertThat(reply.raw().headers().firstValue("Connection")).hasValue("close");
        assertThat(app.requestStaging("a1").status()).isEqualTo(201);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON                | {ids: [                      | Unable to process JSON",
        "a JSON array            | [\"a1\"]                     | must be a JSON object",
        "ids missing             | {\"names\": [\"a1\"]}        | 'ids' is required",
        "ids not an array        | {\"ids\": \"a1\"}            | must be an array",
        "ids empty               | {\"ids\": []}                | must not be empty",
        "an id not a string      | {\"ids\": [\"a1\", 7]}       | ids[1] must be a string",
        "a blank id              | {\"ids\": [\"a1\", \"  \"]}  | ids[1] is blank",
        "an id of 256 characters | LONG                         | longer than 255",
    })
    void malformedRequestsAnswer400WithAJsonError(String description, String body, String message) {
        String sent = body.equals("LONG") ? "{\"ids\": [\"" + "x".repeat(256) + "\"]}" : body;

        Reply reply = app.post("/dts/staging", "application/json", sent);

        assertThat(reply.status()).as(description).isEqualTo(400);
        assertThat(reply.json().get("code").asInt()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).contains(message);
        assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @ParameterizedTest(name = "GET {0}")
    @CsvSource(delimiter = '|', value = {
        "/dts/staging                                         | 400",
        "/dts/staging?id=                                     | 400",
        "/dts/staging?id=not-a-uuid                           | 400",
        "/dts/staging?id=1-1-1-1-1                            | 400",
        "/dts/staging/not-a-uuid                              | 400",
        "/dts/staging?id=4b86e181-8c83-447e-aada-af9232af7da0 | 404",
        "/dts/staging/4b86e181-8c83-447e-aada-af9232af7da0    | 404",
    })
    void badOrUnknownStatusQueriesAnswerAJsonError(String path, int expected) {
        Reply reply = app.get(path);

        assertThat(reply.status()).isEqualTo(expected);
        assertThat(reply.json().get("code").asInt()).isEqualTo(expected);
        assertThat(reply.json().get("message").asText()).isNotBlank();
    }

    @Test
    void refusalWithTheBodyUnreadTellsTheClientTheConnectionCloses() throws IOException {
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.setSoTimeout(10_000);
            // Only part of the announced body is sent: the media type is refused without reading it.
            socket.getOutputStream().write(("POST /dts/staging HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: text/plain\r\nContent-Length: 1000\r\n\r\nids").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            String head = readResponseHead(socket.getInputStream());

            assertThat(head).startsWith("HTTP/1.1 415").containsIgnoringCase("\r\nConnection: close\r\n");
        }
    }

    private static String readResponseHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Test
    void serviceKeepsServingAfterBadInput() {
        app.post("/dts/staging", "application/json", "{{{{");
        app.post("/dts/staging", "text/plain", "ids");

        Reply reply = app.requestStaging("a4");

        assertThat(reply.status()).isEqualTo(201);
    }
}
