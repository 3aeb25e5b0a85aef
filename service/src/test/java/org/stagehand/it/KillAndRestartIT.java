package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.ServiceProcess;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;

/**
 * The built jar as a real process on its embedded default (H2 in a file, the POSIX backend), killed
 * with SIGKILL while it copies files and while requests keep arriving, then started again: every
 * request it acknowledged with 201 ends {@code ready}, every staged file is byte-identical to the
 * archive's, and no temporary file is left.
 */
class KillAndRestartIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int BIG_FILES = 24;
    // Large enough that on a quiet machine each copy (hashed, then flushed) lasts long enough for
    // the 1 ms poll below to see its temporary file; 8 MiB copies could all finish before it looked.
    private static final int BIG_SIZE = 32 << 20;
    private static final int SMALL_FILES = 60;

    @TempDir
    Path directory;

    @Test
    void killedWhileCopyingAndRestartedEveryAcceptedRequestEndsReady() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (int i = 0; i < BIG_FILES; i++) {
            archive.file("big-" + i, "big/file-" + i + ".bin", BIG_SIZE);
        }
        for (int i = 0; i < SMALL_FILES; i++) {
            archive.file("small-" + i, "small/deep/file-" + i + ".dat", 3_000 + i);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path staging = directory.resolve("staging");
        ServiceProcess service = ServiceProcess.h2(directory, archive.root(), catalog, String.join("\n",
                "  workers: 1",
                "  maxBatchSize: 1",
                "  instanceName: kill-test",
                "  leaseDuration: 30s",
                "  pollInterval: 100ms",
                "  initialBackoff: 100ms",
                "  maxBackoff: 1s"), "-Xmx256m");

        List<String> accepted = new CopyOnWriteArrayList<>();
        try {
            service.start(TIMEOUT);

            // Small requests keep arriving up to the kill; whatever got a 201 must survive it.
            AtomicBoolean posting = new AtomicBoolean(true);
            List<Integer> otherAnswers = new CopyOnWriteArrayList<>();
            Thread poster = new Thread(() -> {
                for (int n = 0; posting.get(); n++) {
                    int first = (n * 7) % SMALL_FILES;
                    String body = "{\"ids\": [\"small-" + first + "\", \"small-" + ((first + 1) % SMALL_FILES)
                            + "\", \"small-" + ((first + 13) % SMALL_FILES) + "\"]}";
                    try {
                        Reply reply = service.post("/dts/staging", body);
                        if (reply.status() == 201) {
                            accepted.add(reply.json().get("request_id").asText());
                        } else {
                            otherAnswers.add(reply.status());
                        }
                    } catch (UncheckedIOException e) {
                        return; // the service is gone
                    }
                }
            }, "poster");
            poster.start();
            await().atMost(TIMEOUT).until(() -> accepted.size() >= 3);

            Reply bigRequest = service.post("/dts/staging", "{\"ids\": [" + ids("big-", BIG_FILES) + "]}");
            assertThat(bigRequest.status()).as(bigRequest.body()).isEqualTo(201);
            accepted.add(bigRequest.json().get("request_id").asText());

            // Kill it while a copy is under way. A kill can land between two files; then the
            // service is started again and killed again, up to five times.
            for (int kill = 1; ; kill++) {
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(1)).until(() ->
                        !StagehandTestApp.temporaryFilesBelow(staging).isEmpty() || stagedBigFiles(staging) == BIG_FILES);
                assertThat(stagedBigFiles(staging)).as("copying ended before a kill landed in it").isLessThan(BIG_FILES);
                service.kill();
                posting.set(false);
                if (!StagehandTestApp.temporaryFilesBelow(staging).isEmpty()) {
                    break;
                }
                assertThat(kill).as("kills that landed between two copies").isLessThan(5);
                service.start(TIMEOUT);
            }
            poster.join(10_000);

            assertThat(stagedBigFiles(staging)).as("the big request was not finished at the kill").isLessThan(BIG_FILES);
            assertThat(otherAnswers).as("answers other than 201 before the kill").isEmpty();
            assertThat(accepted.size()).as("requests acknowledged before the kill").isGreaterThan(3);

            service.start(TIMEOUT);
            for (String request : accepted) {
                JsonNode status = awaitReady(service, request);
                assertThat(status.get("files").get("failed").asInt()).isZero();
            }
            for (int i = 0; i < BIG_FILES; i++) {
                assertIdentical(archive, staging, "big/file-" + i + ".bin");
            }
            for (int i = 0; i < SMALL_FILES; i++) {
                Path staged = staging.resolve("small/deep/file-" + i + ".dat");
                if (Files.exists(staged)) {
                    assertIdentical(archive, staging, "small/deep/file-" + i + ".dat");
                }
            }
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).isEmpty();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n--- service log ---\n" + service.logTail(), e);
        } finally {
            service.stop();
        }
    }

    private static String ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> "\"" + prefix + i + "\"").collect(Collectors.joining(", "));
    }

    private static long stagedBigFiles(Path staging) throws Exception {
        Path big = staging.resolve("big");
        if (!Files.isDirectory(big)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(big)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".bin")
                    && !file.getFileName().toString().startsWith(".")).count();
        }
    }

    private static JsonNode awaitReady(ServiceProcess service, String request) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Reply reply = service.get("/dts/staging?id=" + request);
            assertThat(reply.status()).as("status of acknowledged request " + request + ": " + reply.body())
                    .isEqualTo(200);
            last[0] = reply.json();
            return "ready".equals(last[0].get("status").asText());
        });
        return last[0];
    }

    private static void assertIdentical(TestArchive archive, Path staging, String path) throws Exception {
        Path staged = staging.resolve(path);
        assertThat(staged).isRegularFile();
        assertThat(Files.mismatch(staged, archive.root().resolve(path))).as("first differing byte of " + path)
                .isEqualTo(-1L);
    }
}
