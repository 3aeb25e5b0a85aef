package org.stagehand.testing;

import io.dropwizard.testing.ConfigOverride;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh database for one test class: an H2 file, or a new database on a shared embedded PostgreSQL. */
public interface TestDatabase {

    /** The {@code database.*} overrides that point the service at this database. */
    List<ConfigOverride> overrides();

    /** An H2 database in a file below {@code directory}, as the embedded default runs. */
    static TestDatabase h2(Path directory) {
        String url = "jdbc:h2:file:" + directory.resolve("stagehand").toAbsolutePath()
                + ";MODE=PostgreSQL";
        return () -> List.of(
                ConfigOverride.config("database.driverClass", "org.h2.Driver"),
                ConfigOverride.config("database.url", url),
                ConfigOverride.config("database.user", "sa"),
                ConfigOverride.config("database.password", ""));
    }

    /** A new, empty database on the embedded PostgreSQL server this JVM shares between tests. */
    static TestDatabase postgres() {
        String url = newPostgresDatabase();
        return () -> List.of(
                ConfigOverride.config("database.driverClass", "org.postgresql.Driver"),
                ConfigOverride.config("database.url", url),
                ConfigOverride.config("database.user", "postgres"),
                ConfigOverride.config("database.password", ""));
    }

    /** Creates a new, empty database on the shared embedded PostgreSQL server; returns its JDBC URL (user postgres). */
    static String newPostgresDatabase() {
        String name = "stagehand_" + SharedPostgres.COUNTER.incrementAndGet();
        EmbeddedPostgres server = SharedPostgres.server();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return server.getJdbcUrl("postgres", name);
    }

    /** One PostgreSQL server per test JVM, started on first use from the binaries Maven fetched. */
    final class SharedPostgres {
        private static final AtomicInteger COUNTER = new AtomicInteger();
        private static EmbeddedPostgres server;

        private SharedPostgres() {
        }

        public static synchronized EmbeddedPostgres server() {
            if (server == null) {
                try {
                    server = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException e) {
                        // the JVM is ending; the server's directory is temporary
                    }
                }));
            }
            return server;
        }
    }
}
