package org.stagehand.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dropwizard.testing.ConfigOverride;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.Freezer;
import org.stagehand.testing.StagehandTestApp;
import org.stagehand.testing.StagehandTestApp.Reply;
import org.stagehand.testing.TestArchive;
import org.stagehand.testing.TestDatabase;
import org.stagehand.work.FreezePoints.Point;

/** Start-up: what the sweep of temporary files may touch, and when the ports open. */
class StartupIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A name of the form of the service's temporary files, with a token no run of the service made. */
    private static final String LOOKALIKE = "odd/.ready.0123456789abcdef0123456789abcdef.stagehand-part";

    @TempDir
    Path directory;

    private List<ConfigOverride> overrides(TestArchive archive, Path catalog, ConfigOverride... more) {
        List<ConfigOverride> overrides = StagehandTestApp.overrides(TestDatabase.h2(directory),
                directory.resolve("staging"), archive.root(), catalog, more);
        return overrides;
    }

    @Test
    void aReadyCopyNamedLikeATemporaryFileSurvivesARestartAndSuchPathsAreRefusedAtImport() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        archive.file("odd", "odd/ready.bin", 5_000);
        archive.file("refused", "refused/.x.bin.0123456789abcdef0123456789abcdef.stagehand-part", 100);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        Path copy = directory.resolve("staging").resolve(LOOKALIKE);

        StagehandTestApp app = new StagehandTestApp(overrides(archive, catalog)).start();
        try {
            Reply refused = app.requestStaging("refused");
            assertThat(refused.status()).as(refused.body()).isEqualTo(404);
            // An entry an older version imported, before such paths were refused.
            try (Connection connection = DriverManager.getConnection(app.configuration().getDatabase().getUrl(), "sa", "");
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE catalog_entry SET staging_path = ? WHERE file_id = 'odd'")) {
                update.setString(1, LOOKALIKE);
                assertThat(update.executeUpdate()).isEqualTo(1);
            }
            Reply accepted = app.requestStaging("odd");
            assertThat(accepted.status()).as(accepted.body()).isEqualTo(201);
            app.awaitStatus(accepted.json().get("request_id").asText(), "ready", TIMEOUT);
            assertThat(copy).hasBinaryContent(archive.bytes("odd/ready.bin"));
        } finally {
            app.stop();
        }

        // The sweep at the next start deletes only files of runs the service recorded.
        StagehandTestApp restarted = new StagehandTestApp(overrides(archive, catalog)).start();
        try {
            assertThat(copy).hasBinaryContent(archive.bytes("odd/ready.bin"));
        } finally {
            restarted.stop();
        }
    }

    @Test
    void thePortsStayClosedUntilTheStagingAreaIsSwept() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        archive.file("a", "a.bin", 100);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        int port = freePort();
        Freezer freezer = new Freezer();
        freezer.freeze(Point.SWEEPING);
        StagehandTestApp app = new StagehandTestApp(overrides(archive, catalog,
                ConfigOverride.config("server.applicationConnectors[0].port", Integer.toString(port))), freezer);

        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                app.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            await().atMost(TIMEOUT).until(() -> freezer.heldAt(Point.SWEEPING) == 1);
            // A TCP readiness check must not see an instance that is still starting.
            assertThatThrownBy(() -> connect(port)).isInstanceOf(ConnectException.class);
            freezer.thaw(Point.SWEEPING);
            started.get();
            connect(port);
            assertThat(app.get("/dts/staging/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
        } finally {
            freezer.thaw(Point.SWEEPING);
            started.handle((ignored, failure) -> null).get();
            app.stop();
        }
    }

    @Test
    void theRecordsOfRunsLongOverArePrunedAtStartAndTheirLeftoverFilesAreStillSwept() throws Exception {
        TestArchive archive = new TestArchive(directory.resolve("archive"));
        archive.file("a", "a.bin", 100);
        Path catalog = archive.writeCatalog(directory.resolve("catalog.json"));
        new StagehandTestApp(overrides(archive, catalog)).start().stop(); // the schema
        Instant longAgo = Instant.now().minus(Duration.ofDays(30));
        // Epochs as the service names them: 't', the start in 7 base-36 digits, 4 random ones.
        String recordedLongOver = "t" + base36(longAgo) + "aaaa";
        String prunedBefore = "t" + base36(longAgo) + "bbbb";
        String unrecordedRecent = "t" + base36(Instant.now().minus(Duration.ofHours(1))) + "cccc";
        String olderForm = "0123456789ab";
        Path staging = directory.resolve("staging");
        Path ofRecordedLongOver = leftover(staging, recordedLongOver);
        Path ofPruned = leftover(staging, prunedBefore);
        Path ofUnrecordedRecent = leftover(staging, unrecordedRecent);
        Path ofOlderForm = leftover(staging, olderForm);
        String url = "jdbc:h2:file:" + directory.resolve("stagehand").toAbsolutePath() + ";MODE=PostgreSQL";
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
             PreparedStatement insert = connection.prepareStatement("INSERT INTO instance_epoch"
                     + " (epoch, instance_name, started_at, alive_until) VALUES (?, 'gone', ?, ?)")) {
            for (String epoch : List.of(recordedLongOver, olderForm)) {
                insert.setString(1, epoch);
                insert.setObject(2, OffsetDateTime.ofInstant(longAgo, ZoneOffset.UTC));
                insert.setObject(3, OffsetDateTime.ofInstant(longAgo.plusSeconds(60), ZoneOffset.UTC));
                insert.executeUpdate();
            }
        }

        StagehandTestApp app = new StagehandTestApp(overrides(archive, catalog)).start();
        List<String> epochs;
        try (Connection connection = DriverManager.getConnection(app.configuration().getDatabase().getUrl(), "sa", "");
             PreparedStatement select = connection.prepareStatement("SELECT epoch FROM instance_epoch");
             ResultSet rows = select.executeQuery()) {
            epochs = new ArrayList<>();
            while (rows.next()) {
                epochs.add(rows.getString(1));
            }
        } finally {
            app.stop();
        }

        assertThat(epochs).doesNotContain(recordedLongOver).contains(olderForm).hasSize(3); // and the two runs here
        assertThat(ofRecordedLongOver).doesNotExist();
        assertThat(ofPruned).doesNotExist();
        assertThat(ofUnrecordedRecent).exists();
        assertThat(ofOlderForm).doesNotExist();
    }

    private static String base36(Instant instant) {
        String digits = Long.toString(instant.getEpochSecond(), 36);
        return "0".repeat(7 - digits.length()) + digits;
    }

    /** A temporary file of a claim of {@code epoch}'s run, as a killed run leaves it. */
    private static Path leftover(Path staging, String epoch) throws IOException {
        Path file = staging.resolve("left/.a.bin." + epoch + "0123456789abcdef0123.stagehand-part");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "partial");
        return file;
    }

    private static void connect(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
