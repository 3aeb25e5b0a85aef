package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.ServiceProcess;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;

/**
 * A normal stop (SIGTERM) of the built service on its embedded H2 database logs no error: the
 * claim loop and every other user of the database stop before the database is closed.
 */
class StopIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path directory;

    @Test
    void aNormalStopOnH2LogsNoError() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (int i = 0; i < 20; i++) {
            archive.file("s" + i, "stop/s" + i + ".dat", 2_000 + i);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        // The claim loop asks the database every few milliseconds: a stop that closes the database
        // first is caught in the act.
        ServiceProcess service = ServiceProcess.h2(directory, archive.root(), catalog, String.join("\n",
                "  workers: 2",
                "  maxBatchSize: 2",
                "  leaseDuration: 3s",
                "  pollInterval: 10ms"), "-Xmx256m");
        for (int run = 0; run < 3; run++) {
            service.start(TIMEOUT);
            String body = "{\"ids\": [\"s" + run + "\", \"s" + (run + 10) + "\"]}";
            Reply reply = service.post("/dts/staging", body);
            assertThat(reply.status()).as(reply.body()).isEqualTo(201);
            Thread.sleep(200);
            service.stop();
        }

        List<String> log = Files.readAllLines(directory.resolve("service.log"), StandardCharsets.UTF_8);
        assertThat(log).as("the log of three starts and stops").noneMatch(line -> line.startsWith("ERROR"))
                .noneMatch(line -> line.contains("already closed"));
    }
}
