package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.testing.ConfigOverride;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.RecordingBackend;
import org.stagehand.testing.RecordingBackend.Recorder;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;

/**
 * The PostgreSQL server goes away while files are being staged and requests keep arriving, and
 * comes back on the same data directory and port. While it is away every POST answers 503 with a
 * JSON error and a poll answers from memory; every request ever answered 201 ends {@code ready}; nothing stays stuck in
 * {@code staging}. Runs its own PostgreSQL server, never the one other tests share.
 */
class DatabaseOutageIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String RECORDER = "database-outage";
    private static final int FILES = 40;

    @TempDir
    Path directory;

    @Test
    void requestsSurviveTheDatabaseGoingAwayAndComingBack() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        for (int i = 0; i < FILES; i++) {
            archive.file("o" + i, "outage/o" + i + ".bin", 10_000 + i);
        }
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path staging = directory.resolve("staging");
        Path data = directory.resolve("pgdata");
        int port = freePort();
        Recorder recorder = RecordingBackend.recorder(RECORDER);
        recorder.delayEachCopy(60);

        EmbeddedPostgres postgres = postgres(data, port);
        StagehandTestApp app = null;
        try {
            app = new StagehandTestApp(StagehandTestApp.overrides(database(postgres), staging, archive.root(), catalog,
                    ConfigOverride.config("backend.type", "recording"),
                    ConfigOverride.config("backend.name", RECORDER),
                    ConfigOverride.config("work.workers", "2"),
                    ConfigOverride.config("work.maxBatchSize", "2"),
                    ConfigOverride.config("work.maxAttempts", "20"),
                    ConfigOverride.config("work.leaseDuration", "2s"))).start();
            StagehandTestApp service = app;

            List<String> accepted = new CopyOnWriteArrayList<>();
            accepted.add(accepted(app.requestStaging(range(0, 20))));
            await().atMost(TIMEOUT).until(() -> recorder.copiesOf("o0") + recorder.copiesOf("o2") > 0);

            // Requests keep coming in throughout; each answer is a 201 or a 503 with a JSON body.
            AtomicBoolean posting = new AtomicBoolean(true);
            AtomicBoolean down = new AtomicBoolean();
            AtomicInteger refusedWhileDown = new AtomicInteger();
            List<String> unexpected = new CopyOnWriteArrayList<>();
            Thread poster = new Thread(() -> {
                for (int n = 0; posting.get(); n++) {
                    boolean wasDown = down.get();
                    Reply reply = service.requestStaging(range(20 + n % 15, 25 + n % 15));
                    boolean stillDown = down.get();
                    if (reply.status() == 201) {
                        accepted.add(reply.json().get("request_id").asText());
                        if (wasDown && stillDown) {
                            unexpected.add("201 while the database was down: " + reply.body());
                        }
                    } else if (reply.status() != 503 || reply.json().get("code").asInt() != 503) {
                        unexpected.add(reply.status() + " " + reply.body());
                    } else if (wasDown && stillDown) {
                        refusedWhileDown.incrementAndGet();
                    }
                    sleep(50);
                }
            }, "poster");
            poster.start();
            sleep(300);

            assertThat(scrape(app)).contains("stagehand_database_up 1").contains("stagehand_work_queue_depth ");
            postgres.close();
            down.set(true);
            // Down for longer than a lease: outcomes cannot be recorded, leases cannot be renewed.
            await().atMost(TIMEOUT).until(() -> refusedWhileDown.get() >= 5);
            // Metrics are still served: the database's gauges at their last known values, and it is down.
            await().atMost(TIMEOUT).until(() -> scrape(service).contains("stagehand_database_up 0"));
            assertThat(scrape(app)).contains("stagehand_work_queue_depth ").contains("stagehand_work_paused 0")
                    .contains("stagehand_work_files_staged_total ").doesNotContain("\tat ");
            // A poll is answered from memory with the last state known (StatusDuringOutageIT has more).
            Reply status = app.get("/dts/staging/" + accepted.get(0));
            assertThat(status.status()).as(status.body()).isEqualTo(200);
            assertThat(status.json().get("as_of").asText()).isNotBlank();
            sleep(2_500);

            down.set(false);
            postgres = postgres(data, port);
            await().atMost(TIMEOUT).until(() -> accepted.size() >= 3);
            await().atMost(TIMEOUT).until(() -> scrape(service).contains("stagehand_database_up 1"));
            posting.set(false);
            poster.join(30_000);

            assertThat(unexpected).isEmpty();
            for (String request : accepted) {
                JsonNode settled = app.awaitStatus(request, "ready", TIMEOUT);
                assertThat(settled.get("files").get("failed").asInt()).isZero();
            }
            for (int i = 0; i < 40; i++) {
                Path staged = staging.resolve("outage/o" + i + ".bin");
                if (i < 20 || staged.toFile().exists()) {
                    assertThat(staged).hasBinaryContent(archive.bytes("outage/o" + i + ".bin"));
                }
            }
            assertThat(recorder.mostConcurrentCopiesOfOneFile()).isEqualTo(1);
            assertThat(StagehandTestApp.temporaryFilesBelow(staging)).isEmpty();
        } finally {
            if (app != null) {
                app.stop();
            }
            postgres.close();
        }
    }

    @Test
    void workStopsBeforeItsLeasesLapseWhenTheyCannotBeRenewed() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        archive.file("held", "lapse/held.bin", 50_000);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path staging = directory.resolve("staging");
        Path data = directory.resolve("pgdata");
        int port = freePort();
        Recorder recorder = RecordingBackend.recorder("lease-lapse");
        recorder.hold("held");

        EmbeddedPostgres postgres = postgres(data, port);
        StagehandTestApp app = null;
        try {
            app = new StagehandTestApp(StagehandTestApp.overrides(database(postgres), staging, archive.root(), catalog,
                    ConfigOverride.config("backend.type", "recording"),
                    ConfigOverride.config("backend.name", "lease-lapse"),
                    ConfigOverride.config("work.leaseDuration", "2s"))).start();
            String request = accepted(app.requestStaging("held"));
            await().atMost(TIMEOUT).until(() -> recorder.copiesOf("held") == 1);

            // Without the database the lease cannot be renewed: another instance could take the file
            // over once it runs out, so this one must stop copying before then.
            postgres.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> recorder.wasCancelledWhileHeld("held"));
            await().atMost(Duration.ofSeconds(10)).until(() -> StagehandTestApp.temporaryFilesBelow(staging).isEmpty());
            assertThat(staging.resolve("lapse/held.bin")).doesNotExist();

            postgres = postgres(data, port);
            recorder.releaseHeld();
            app.awaitStatus(request, "ready", TIMEOUT);
            assertThat(staging.resolve("lapse/held.bin")).hasBinaryContent(archive.bytes("lapse/held.bin"));
            assertThat(recorder.copiesOf("held")).isEqualTo(2);
            assertThat(recorder.mostConcurrentCopiesOfOneFile()).isEqualTo(1);
        } finally {
            if (app != null) {
                app.stop();
            }
            postgres.close();
        }
    }

    /** {@code GET /prometheus}, which must answer 200 whether or not the database is up. */
    private static String scrape(StagehandTestApp app) {
        Reply reply = app.getAdmin("/prometheus");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.body();
    }

    /** The server's database, giving up on a connection after a second so that outages show quickly. */
    static TestDatabase database(EmbeddedPostgres postgres) {
        String url = postgres.getJdbcUrl("postgres", "postgres");
        return () -> List.of(
                ConfigOverride.config("database.driverClass", "org.postgresql.Driver"),
                ConfigOverride.config("database.url", url),
                ConfigOverride.config("database.user", "postgres"),
                ConfigOverride.config("database.password", ""),
                ConfigOverride.config("database.maxWaitForConnection", "1s"));
    }

    /** A PostgreSQL server on {@code data} and {@code port}, keeping what the directory holds. */
    static EmbeddedPostgres postgres(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }

    private static String[] range(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            ids.add("o" + i);
        }
        return ids.toArray(String[]::new);
    }

    private static String accepted(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("request_id").asText();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
