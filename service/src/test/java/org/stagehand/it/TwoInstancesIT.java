package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.OverrideProperties;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Two instances share one PostgreSQL database, one staging area and one archive. One of them dies
 * in the middle of its work — its workers are interrupted and its claims are left ACTIVE under its
 * lease, as a crash would leave them — and the other takes the claims over once the lease expires.
 *
 * <p>Both instances use the same {@code recording} backend name, so the recorder sees the copies of
 * both and can tell whether one file was ever copied twice at the same time.
 */
class TwoInstancesIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String RECORDER = "two-instances";
    private static final int FILES = 40;
    /**
     * The first file of each of the first two batches the first instance claims while it runs alone
     * (claims go in file ID order, four to a batch): their copies hang, and the rest of their
     * batches waits behind them.
     */
    private static final String[] HELD = {"f00", "f04"};

    @TempDir
    Path directory;

    private StagehandTestApp instance(String name, TestDatabase database, TestArchive archive, Path catalog) {
        return new StagehandTestApp(StagehandTestApp.overrides(database, directory.resolve("staging"),
                archive.root(), catalog,
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", RECORDER),
                ConfigOverride.config("work.instanceName", name),
                ConfigOverride.config("work.workers", "3"),
                ConfigOverride.config("work.maxBatchSize", "4"),
                ConfigOverride.config("work.leaseDuration", "2s"),
                ConfigOverride.config("work.pollInterval", "100ms")));
    }

    @Test
    void survivorTakesOverTheClaimsOfADeadInstance() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            String id = String.format("f%02d", i);
            archive.file(id, "batch/" + id + ".bin", 20_000 + 997 * i);
            ids.add(id);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path staging = directory.resolve("staging");
        TestDatabase database = TestDatabase.postgres();
        Recorder recorder = RecordingBackend.recorder(RECORDER);
        recorder.hold(HELD);
        recorder.delayEachCopy(25);

        Map<String, String> propertiesBefore = OverrideProperties.save();
        StagehandTestApp a = instance("node-a", database, archive, catalog).start();
        StagehandTestApp b = null;
        try {
            // Instance a alone: it claims the held files (and the rest of their batches) first.
            List<String> requests = new ArrayList<>();
            requests.add(accepted(a.requestStaging(slice(ids, 0, 16))));
            await().atMost(TIMEOUT).until(() -> heldCopiesStarted(recorder) == HELD.length);

            // Instance b joins; its start-up sweep must leave a's temporary files alone.
            b = instance("node-b", database, archive, catalog).start();
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).as("a's copies under way").isNotEmpty();
            requests.add(accepted(b.requestStaging(slice(ids, 10, 30))));
            requests.add(accepted(a.requestStaging(slice(ids, 25, ids.size()))));
            requests.add(accepted(b.requestStaging(slice(ids, 0, ids.size()))));

            // Either instance answers for every request, and they agree on what they know.
            for (String request : requests) {
                Reply fromA = a.get("/dts/staging?id=" + request);
                Reply fromB = b.get("/dts/staging/" + request);
                assertThat(fromA.status()).isEqualTo(200);
                assertThat(fromB.status()).isEqualTo(200);
                assertThat(fromB.json().get("request_id").asText()).isEqualTo(request);
                assertThat(fromB.json().get("files").get("total")).isEqualTo(fromA.json().get("files").get("total"));
            }

            // Instance a dies with its held copies half written.
            String url = a.configuration().getDatabase().getUrl();
            MetricRegistry metricsOfA = a.metrics();
            a.stop();
            a = null;
            int abandoned = claimsOf(url, "node-a");
            assertThat(abandoned).as("claims left ACTIVE under a's lease").isGreaterThanOrEqualTo(2 * 4);
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).as("a's half-written copies").isNotEmpty();
            recorder.releaseHeld(); // b's own copies of these files must not hang

            for (String request : requests) {
                JsonNode status = b.awaitStatus(request, "ready", TIMEOUT);
                assertThat(status.get("files").get("failed").asInt()).isZero();
            }

            assertThat(claimsOf(url, "node-a")).as("a's claims taken over").isZero();
            for (String held : HELD) {
                assertThat(recorder.copiesOf(held)).as("copies of " + held + ": a's, then b's").isEqualTo(2);
            }
            for (String id : ids) {
                String path = "batch/" + id + ".bin";
                assertThat(staging.resolve(path)).hasBinaryContent(archive.bytes(path));
            }
            assertThat(recorder.mostConcurrentCopiesOfOneFile()).isEqualTo(1);
            // Each file was renamed into place once, by one of the two: never a second time over a ready copy.
            long renames = metricsOfA.meter("stagehand.work.files-staged").getCount()
                    + b.metrics().meter("stagehand.work.files-staged").getCount();
            assertThat(renames).as("renames against distinct files").isEqualTo(ids.size());
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).isEmpty();
            try (var files = Files.walk(staging)) {
                assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(ids.size());
            }
        } finally {
            recorder.releaseHeld();
            if (a != null) {
                a.stop();
            }
            if (b != null) {
                b.stop();
            }
            OverrideProperties.restore(propertiesBefore);
        }
    }

    private static String[] slice(List<String> ids, int from, int to) {
        return ids.subList(from, to).toArray(String[]::new);
    }

    private static String accepted(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    private static int heldCopiesStarted(Recorder recorder) {
        int started = 0;
        for (String held : HELD) {
            started += recorder.copiesOf(held);
        }
        return started;
    }

    /** Work rows ACTIVE under a lease of {@code owner}, read straight from the database. */
    private static int claimsOf(String url, String owner) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM staged_file WHERE state = 'ACTIVE' AND lease_owner = ?")) {
            query.setString(1, owner);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
