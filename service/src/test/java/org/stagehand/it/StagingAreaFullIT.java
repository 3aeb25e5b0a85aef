package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The staging area is a 2 MiB tmpfs, so the real POSIX backend meets a real ENOSPC: the file that
 * does not fit fails after its attempts with the file system's own message and leaves nothing
 * behind, the files that fit are staged intact, and the service keeps answering and staging. Once
 * space is freed, retrying the request stages the file. Needs permission to mount a tmpfs (root,
 * as in CI); skipped otherwise.
 */
class StagingAreaFullIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path directory;

    @Test
    void aFullStagingFileSystemFailsTheFileCleanlyAndKeepsServing() throws Exception {
        Path staging = Files.createDirectories(directory.resolve("staging"));
        mountTmpfs(staging, "2m");
        StagehandTestApp app = null;
        try {
            TestArchive archive = new TestArchive(directory.resolve("archive"))
                    .file("fit-1", "full/fit-1.bin", 600_000)
                    .file("fit-2", "full/fit-2.bin", 600_000)
                    .file("fit-3", "full/fit-3.bin", 600_000)
                    .file("big", "full/big.bin", 1_000_000)
                    .file("small", "full/small.bin", 100_000)
                    .file("tiny", "full/tiny.bin", 1_000);
            app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")), staging,
                    archive.root(), archive.writeCatalog(directory.resolve("catalog.json")),
                    ConfigOverride.config("work.workers", "1"),
                    ConfigOverride.config("work.maxBatchSize", "1"))).start();

            String filling = accepted(app.requestStaging("fit-1", "fit-2", "fit-3"));
            app.awaitStatus(filling, "ready", TIMEOUT);

            String overflowing = accepted(app.requestStaging("big", "small"));
            JsonNode failed = app.awaitStatus(overflowing, "failed", TIMEOUT);
            assertThat(failed.get("files").get("ready").asInt()).as("small fits").isEqualTo(1);
            assertThat(failed.get("files").get("failed").asInt()).isEqualTo(1);
            assertThat(failed.get("errors").get(0).get("id").asText()).isEqualTo("big");
            assertThat(failed.get("errors").get(0).get("message").asText()).contains("No space left on device");

            assertThat(staging.resolve("full/big.bin")).doesNotExist();
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).isEmpty();
            for (String name : new String[] {"fit-1", "fit-2", "fit-3", "small"}) {
                assertThat(staging.resolve("full/" + name + ".bin")).hasBinaryContent(archive.bytes("full/" + name + ".bin"));
            }

            // Still answering, still staging what fits.
            assertThat(app.get("/dts/staging/" + filling).json().get("status").asText()).isEqualTo("ready");
            app.awaitStatus(accepted(app.requestStaging("tiny")), "ready", TIMEOUT);

            // An operator frees space; retrying the request stages the file that did not fit.
            for (String name : new String[] {"fit-1", "fit-2", "fit-3"}) {
                Files.delete(staging.resolve("full/" + name + ".bin"));
            }
            Reply retry = app.runTask("retry?id=" + overflowing);
            assertThat(retry.status()).as(retry.body()).isEqualTo(200);
            app.awaitStatus(overflowing, "ready", TIMEOUT);
            assertThat(staging.resolve("full/big.bin")).hasBinaryContent(archive.bytes("full/big.bin"));
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).isEmpty();
        } finally {
            if (app != null) {
                app.stop();
            }
            run("umount", staging.toString());
        }
    }

    private static String accepted(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    private static void mountTmpfs(Path directory, String size) throws Exception {
        String result;
        try {
            result = run("mount", "-t", "tmpfs", "-o", "size=" + size, "stagehand-it", directory.toString());
        } catch (IOException e) {
            result = e.toString();
        }
        assumeTrue(result.isEmpty(), "cannot mount a " + size + " tmpfs at " + directory
                + " (needs root or CAP_SYS_ADMIN), so no real ENOSPC can be had: " + result);
    }

    /** Runs a command; returns "" on success, else its exit status and output. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return process.exitValue() == 0 ? "" : "exit " + process.exitValue() + ": " + output.trim();
    }
}
