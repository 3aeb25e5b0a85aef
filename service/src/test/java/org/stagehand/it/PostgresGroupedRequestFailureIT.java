package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
 * One request whose rows PostgreSQL refuses, stored in one transaction with other clients'
 * requests: it alone fails, the others are stored. A trigger stands for whatever input the checks
 * did not foresee: it refuses the rows of the file {@code poison}, and holds the writers busy with
 * the file {@code slow}, so that the requests sent meanwhile are grouped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresGroupedRequestFailureIT {

    private static final int OTHERS = 20;

    private StagehandTestApp app;
    private final ExecutorService clients = Executors.newFixedThreadPool(OTHERS + 3);

    @BeforeAll
    void startApp(@TempDir Path directory) throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"))
                .file("poison", "g/poison.txt", 10)
                .file("slow1", "g/slow1.txt", 10)
                .file("slow2", "g/slow2.txt", 10);
        for (int i = 0; i < OTHERS; i++) {
            archive.file("ok" + i, "g/ok" + i + ".txt", 10);
        }
        app = new StagehandTestApp(StagehandTestApp.overrides(TestDatabase.postgres(), directory.resolve("staging"),
                archive.root(), archive.writeCatalog(directory.resolve("catalog.json")))).start();
        try (Connection connection = DriverManager.getConnection(app.configuration().getDatabase().getUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.file_id = 'poison' THEN
                            RAISE EXCEPTION 'the test refuses this row';
                        END IF;
                        IF NEW.file_id LIKE 'slow%' THEN
                            PERFORM pg_sleep(1.5);
                        END IF;
                        RETURN NEW;
                    END $$""");
            statement.execute("CREATE TRIGGER refuse_poison BEFORE INSERT ON request_file"
                    + " FOR EACH ROW EXECUTE FUNCTION refuse_poison()");
        }
    }

    @AfterAll
    void stopApp() {
        clients.shutdownNow();
        app.stop();
    }

    @Test
    void aRequestFailingInTheDatabaseDoesNotFailTheRequestsStoredWithIt() throws Exception {
        // Both writers are held by the slow requests; everything sent meanwhile queues up together.
        List<Future<Reply>> slow = List.of(clients.submit(() -> app.requestStaging("slow1")),
                clients.submit(() -> app.requestStaging("slow2")));
        Thread.sleep(300);
        List<Future<Reply>> others = new ArrayList<>();
        for (int i = 0; i < OTHERS / 2; i++) {
            String id = "ok" + i;
            others.add(clients.submit(() -> app.requestStaging(id)));
        }
        Future<Reply> poisoned = clients.submit(() -> app.requestStaging("ok0", "poison"));
        for (int i = OTHERS / 2; i < OTHERS; i++) {
            String id = "ok" + i;
            others.add(clients.submit(() -> app.requestStaging(id)));
        }

        for (Future<Reply> reply : slow) {
            assertThat(reply.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        }
        for (Future<Reply> reply : others) {
            Reply answer = reply.get(30, TimeUnit.SECONDS);
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            app.awaitStatus(answer.json().get("request_id").asText(), "ready", Duration.ofSeconds(20));
        }
        Reply refused = poisoned.get(30, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(500);
        assertThat(refused.json().get("message").asText()).doesNotContain("Exception", "the test refuses");
    }
}
