package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.it.HpssStagingIT.StandInHpss;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * {@code estimated_ready_at} in the DTS status: present while a tape-backed request waits on a
 * backend that has measured its rates and placed the files, never a JSON null, and absent for a
 * backend that cannot estimate (POSIX) and once the request is ready. The console's drill-down
 * shows the status answer as the client sees it, the estimate included.
 */
class EstimatedReadyAtIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void aTapeRequestShowsAnEstimateWhileItWaitsOnH2(@TempDir Path directory) throws Exception {
        estimateAppearsForTapeFiles(directory, TestDatabase.h2(directory.resolve("db")));
    }

    @Test
    void aTapeRequestShowsAnEstimateWhileItWaitsOnPostgres(@TempDir Path directory) throws Exception {
        estimateAppearsForTapeFiles(directory, TestDatabase.postgres());
    }

    private static void estimateAppearsForTapeFiles(Path directory, TestDatabase database) throws Exception {
        StandInHpss hpss = new StandInHpss(directory.resolve("hpss"));
        for (int i = 0; i < 4; i++) {
            hpss.onTape("warm-" + i, "warm/f" + i + ".bin", 2_000 + i, "WA0001", 10L * (i + 1), 0);
        }
        List<String> slow = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            slow.add("slow-" + i);
            hpss.onTape("slow-" + i, "slow/f" + i + ".bin", 1_000 + i, "WB0002", 10L * (i + 1), 0);
        }
        StagehandTestApp app = hpss.app(database, directory.resolve("staging")).start();
        try {
            // One session measures a mount and the files after the first: the rates.
            String warm = HpssStagingIT.requestId(app.requestStaging("warm-0", "warm-1", "warm-2", "warm-3"));
            assertThat(app.awaitStatus(warm, "ready", TIMEOUT).has("estimated_ready_at")).isFalse();

            String request = HpssStagingIT.requestId(app.requestStaging(slow.toArray(String[]::new)));
            List<Instant> estimates = new ArrayList<>();
            int estimatesOnTheConsole = 0;
            JsonNode status;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            do {
                StagehandTestApp.Reply reply = app.get("/dts/staging?id=" + request);
                assertThat(reply.body()).doesNotContain("null");
                status = reply.json();
                if (status.has("estimated_ready_at")) {
                    assertThat(status.get("status").asText()).isEqualTo("staging");
                    estimates.add(Instant.parse(status.get("estimated_ready_at").asText()));
                    JsonNode drillDown = app.getAdmin("/console/api/requests/" + request).json().get("status");
                    estimatesOnTheConsole += drillDown.has("estimated_ready_at") ? 1 : 0;
                }
                Thread.sleep(20);
            } while (!"ready".equals(status.get("status").asText()) && System.nanoTime() < deadline);

            assertThat(status.get("status").asText()).isEqualTo("ready");
            assertThat(status.has("estimated_ready_at")).as("a ready request has no estimate").isFalse();
            assertThat(estimates).as("estimates seen while the 50 files were recalled").isNotEmpty();
            assertThat(estimatesOnTheConsole).as("drill-downs with an estimate, each just after a poll with one")
                    .isPositive();
            Instant created = Instant.parse(status.get("created_at").asText());
            assertThat(estimates).allSatisfy(at -> assertThat(at).isAfter(created));
        } finally {
            app.stop();
        }
    }

    @Test
    void aPosixRequestHasNoEstimate(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive")).file("p1", "posix/one.bin", 1_000);
        StagehandTestApp app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.h2(directory.resolve("db")),
                directory.resolve("staging"), archive.root(), archive.writeCatalog(directory.resolve("catalog.json")))).start();
        try {
            assertThat(app.runTask("pause").status()).isEqualTo(200);
            String request = HpssStagingIT.requestId(app.requestStaging("p1"));

            StagehandTestApp.Reply waiting = app.get("/dts/staging?id=" + request);
            assertThat(waiting.json().get("status").asText()).isEqualTo("staging");
            assertThat(waiting.json().has("estimated_ready_at")).isFalse();
            assertThat(waiting.body()).doesNotContain("null");
        } finally {
            app.stop();
        }
    }
}
