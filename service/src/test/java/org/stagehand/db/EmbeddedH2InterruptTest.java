package org.stagehand.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.db.DataSourceFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service stops its threads by interrupting them, and a thread may be writing to the embedded
 * H2 database at that moment. With H2's default file access an interrupt closes the database
 * file's channel, and the database with it, under every other thread still using it.
 */
class EmbeddedH2InterruptTest {

    @TempDir
    Path directory;

    @Test
    void aWriteOnAnInterruptedThreadLeavesTheDatabaseOpenForEveryoneElse() throws Exception {
        DataSourceFactory database = new DataSourceFactory();
        database.setDriverClass("org.h2.Driver");
        database.setUrl("jdbc:h2:file:" + directory.resolve("db") + ";MODE=PostgreSQL");
        DatabaseSetup.tuneDriver(database);

        try (Connection main = DriverManager.getConnection(database.getUrl(), "sa", "")) {
            try (Statement statement = main.createStatement()) {
                statement.execute("SET WRITE_DELAY 0");
                statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
            }
            AtomicReference<Exception> interruptedWrite = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                try (Connection connection = DriverManager.getConnection(database.getUrl(), "sa", "");
                     Statement statement = connection.createStatement()) {
                    Thread.currentThread().interrupt();
                    for (int i = 0; i < 50; i++) {
                        statement.execute("INSERT INTO t VALUES (" + i + ", '" + "x".repeat(100) + "')");
                    }
                } catch (SQLException e) {
                    interruptedWrite.set(e);
                }
            });
            writer.start();
            writer.join();

            try (Statement statement = main.createStatement()) {
                statement.execute("INSERT INTO t VALUES (1000, 'after')");
                try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM t")) {
                    rows.next();
                    assertThat(rows.getInt(1)).as("rows written, the interrupted thread's included (%s)",
                            interruptedWrite.get()).isEqualTo(51);
                }
            }
        }
    }
}
