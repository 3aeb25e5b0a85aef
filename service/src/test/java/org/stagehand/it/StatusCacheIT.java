package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.OverrideProperties;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * Status answers kept in memory on PostgreSQL: two instances share one database; {@code watcher} does
 * no work and answers status queries from its cache, while {@code worker} (paused and resumed to hold
 * a request in {@code staging}), or an operator's SQL, changes the requests. Every change must reach the watcher's answers, and the watcher must really
 * answer from memory in between (its hit count says so).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusCacheIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String RECORDER = "status-cache";

    private Map<String, String> propertiesBefore;
    private String databaseUrl;
    private StagehandTestApp worker;
    private StagehandTestApp watcher;

    @BeforeAll
    void startInstances(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (String id : List.of("w1", "w2", "c1", "s1", "l1")) {
            archive.file(id, "files/" + id + ".bin", 1_000);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        TestDatabase database = TestDatabase.postgres();
        propertiesBefore = OverrideProperties.save();
        worker = instance("worker", database, directory, archive, catalog).start();
        watcher = instance("watcher", database, directory, archive, catalog).start();
        assertThat(watcher.runTask("pause").body()).contains("work paused");
        databaseUrl = worker.configuration().getDatabase().getUrl();
        await().atMost(TIMEOUT).until(() -> live(watcher));
    }

    private static StagehandTestApp instance(String name, TestDatabase database, Path directory, TestArchive archive,
                                             Path catalog) {
        return new StagehandTestApp(StagehandTestApp.overrides(database, directory.resolve("staging"), archive.root(),
                catalog,
                ConfigOverride.config("backend.type", "recording"),
                ConfigOverride.config("backend.name", RECORDER),
                ConfigOverride.config("work.instanceName", name)));
    }

    @AfterAll
    void stopInstances() {
        try {
            if (watcher != null) {
                watcher.stop();
            }
            if (worker != null) {
                worker.stop();
            }
        } finally {
            OverrideProperties.restore(propertiesBefore);
        }
    }

    @Test
    void anAnswerKeptByOneInstanceBecomesReadyWhenAnotherFinishesTheWork() {
        worker.runTask("pause");
        String request = accepted(worker.requestStaging("w1", "w2"));

        assertThat(answeredFromMemory(request).get("status").asText()).isEqualTo("staging");
        worker.runTask("resume");

        JsonNode ready = watcher.awaitStatus(request, "ready", TIMEOUT);
        assertThat(ready.get("files").get("ready").asInt()).isEqualTo(2);
        assertThat(answeredFromMemory(request).get("status").asText()).isEqualTo("ready");
    }

    @Test
    void aCancelAndARetryOnOneInstanceReachTheOthersAnswers() {
        worker.runTask("pause");
        String request = accepted(worker.requestStaging("c1"));
        assertThat(answeredFromMemory(request).get("status").asText()).isEqualTo("staging");

        assertThat(worker.runTask("cancel?id=" + request).body()).contains("cancelled");
        watcher.awaitStatus(request, "cancelled", TIMEOUT);
        assertThat(answeredFromMemory(request).get("files").get("cancelled").asInt()).isEqualTo(1);

        assertThat(worker.runTask("retry?id=" + request).body()).contains("queued again");
        watcher.awaitStatus(request, "staging", TIMEOUT);
        worker.runTask("resume");
        watcher.awaitStatus(request, "ready", TIMEOUT);
    }

    @Test
    void anOperatorsFixToTheCatalogReachesTheAnswersOfRequestsNamingTheFile() throws SQLException {
        String request = accepted(worker.requestStaging("s1"));
        worker.awaitStatus(request, "ready", TIMEOUT);
        assertThat(answeredFromMemory(request).get("bytes").get("total").asLong()).isEqualTo(1_000);

        sql("UPDATE catalog_entry SET bytes = 1001 WHERE file_id = 's1'");

        await().atMost(TIMEOUT).until(() -> watcher.get("/dts/staging?id=" + request).json()
                .get("bytes").get("total").asLong() == 1_001);
    }

    @Test
    void aChangeMadeWhileNotificationsWereLostIsSeenOnceTheyAreBack() throws Exception {
        worker.runTask("pause");
        String request = accepted(worker.requestStaging("l1"));
        assertThat(answeredFromMemory(request).get("status").asText()).isEqualTo("staging");

        // Both instances' listening connections are cut, and the request changes before they are
        // back: no instance is told of this change.
        List<Integer> cut = listenerProcesses();
        assertThat(cut).hasSize(2);
        sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN (" + join(cut) + ")");
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> listenerProcesses().stream().noneMatch(cut::contains));
        sql("UPDATE staging_request SET cancelled_at = now() WHERE request_id = '" + UUID.fromString(request) + "'");

        watcher.awaitStatus(request, "cancelled", TIMEOUT);
        await().atMost(TIMEOUT).until(() -> live(watcher));
        assertThat(answeredFromMemory(request).get("status").asText()).isEqualTo("cancelled");
    }

    @AfterEach
    void resumeWork() {
        worker.runTask("resume");
    }

    /**
     * Asks the watcher twice and returns the second answer once it came from memory and agreed with
     * the first. (A fill is dropped when any request changed while it was read, so a try may miss.)
     */
    private JsonNode answeredFromMemory(String request) {
        JsonNode[] second = new JsonNode[1];
        await().atMost(TIMEOUT).until(() -> {
            JsonNode first = watcher.get("/dts/staging?id=" + request).json();
            long hitsBefore = hits(watcher);
            second[0] = watcher.get("/dts/staging?id=" + request).json();
            return hits(watcher) == hitsBefore + 1 && second[0].equals(first);
        });
        return second[0];
    }

    private static long hits(StagehandTestApp app) {
        return app.getAdmin("/metrics").json().get("meters").get("stagehand.status-cache.hits").get("count").asLong();
    }

    private static boolean live(StagehandTestApp app) {
        return app.getAdmin("/metrics").json().get("gauges").get("stagehand.status-cache.live").get("value").asInt() == 1;
    }

    private static String accepted(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    private void sql(String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
             Statement update = connection.createStatement()) {
            update.execute(statement);
        }
    }

    /** The database processes of the instances' listening connections. */
    private List<Integer> listenerProcesses() throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
             PreparedStatement query = connection.prepareStatement("SELECT pid FROM pg_stat_activity"
                     + " WHERE application_name = 'stagehand-status-listener' AND datname = current_database()");
             ResultSet rows = query.executeQuery()) {
            List<Integer> pids = new ArrayList<>();
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
            return pids;
        }
    }

    private static String join(List<Integer> pids) {
        return pids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
