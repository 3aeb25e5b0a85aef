package org.stagehand.db;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import liquibase.Contexts;
import liquibase.LabelExpression;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The schema: one Liquibase changelog, shared by {@code db migrate} and {@code autoMigrate}. */
public final class DatabaseSetup {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSetup.class);

    /** The formatted-SQL changelog on the classpath. */
    public static final String MIGRATIONS = "db/migrations.sql";

    private DatabaseSetup() {
    }

    /** Applies every pending changeset, on a connection pool of its own that is closed afterwards. */
    public static void migrate(DataSourceFactory database, MetricRegistry metrics) throws Exception {
        ManagedDataSource dataSource = database.build(metrics, "migrations");
        try (CloseableLiquibaseWithClassPathMigrationsFile liquibase =
                     new CloseableLiquibaseWithClassPathMigrationsFile(dataSource, MIGRATIONS)) {
            liquibase.update(new Contexts(), new LabelExpression());
        }
    }

    /**
     * Refuses an H2 URL without {@code MODE=PostgreSQL}: the schema starts, but the statements the
     * service runs need that mode, and every request would otherwise fail.
     *
     * @throws IllegalArgumentException naming {@code database.url}
     */
    public static void checkSupported(DataSourceFactory database) {
        String url = database.getUrl();
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length())) {
            return;
        }
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            String[] setting = parts[i].split("=", 2);
            if (setting.length == 2 && setting[0].trim().equalsIgnoreCase("MODE")
                    && setting[1].trim().equalsIgnoreCase("PostgreSQL")) {
                return;
            }
        }
        throw new IllegalArgumentException("database.url: an H2 URL must carry ;MODE=PostgreSQL, e.g."
                + " jdbc:h2:file:./var/db/stagehand;MODE=PostgreSQL (the service's statements need that mode)");
    }

    /**
     * Whether the database is PostgreSQL, the one other than H2 that the service supports: it
     * then gets statements H2 lacks ({@code INSERT ... RETURNING}) and driver tuning.
     */
    public static boolean isPostgres(DataSourceFactory database) {
        return "org.postgresql.Driver".equals(database.getDriverClass());
    }

    /**
     * Lets the PostgreSQL driver send a batch of inserts as multi-row statements (the catalog import
     * inserts in batches; one statement per row makes it several times slower; a value set in
     * {@code database.properties} wins), and keeps H2 open until the service has stopped, whatever
     * its threads are interrupted in.
     */
    public static void tuneDriver(DataSourceFactory database) {
        if (isPostgres(database)) {
            database.getProperties().putIfAbsent("reWriteBatchedInserts", "true");
        }
        keepH2OpenUntilThePoolCloses(database);
        keepH2OpenWhenAWriterIsInterrupted(database);
    }

    /**
     * The service stops its threads by interrupting them, and one may be writing to the database
     * then. H2's default file access uses an interruptible channel: the interrupt closes the
     * database file, and the database with it, under every other thread (the lease renewal, the
     * end of the epoch). Its {@code async:} file system reads and writes the same file through a
     * channel that an interrupt does not close. Only a file database named with {@code file:} or
     * by a bare path is changed; a URL that chooses another file system is left alone.
     */
    private static void keepH2OpenWhenAWriterIsInterrupted(DataSourceFactory database) {
        String url = database.getUrl();
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return;
        }
        String name = url.substring("jdbc:h2:".length());
        if (name.startsWith("file:")) {
            database.setUrl("jdbc:h2:async:" + name.substring("file:".length()));
        } else if (name.startsWith("./") || name.startsWith("../") || name.startsWith("/") || name.startsWith("~")) {
            database.setUrl("jdbc:h2:async:" + name);
        }
    }

    /**
     * H2 closes an embedded database from a JVM shutdown hook of its own, which runs at the same
     * time as the one that stops the service: the work threads, still running, then fail with
     * "Database is already closed". Without that hook H2 closes the database when the pool closes
     * its last connection, after everything that uses it has stopped. A URL that sets
     * {@code DB_CLOSE_ON_EXIT} itself is left alone.
     */
    private static void keepH2OpenUntilThePoolCloses(DataSourceFactory database) {
        String url = database.getUrl();
        if (url != null && url.startsWith("jdbc:h2:") && !url.toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")) {
            database.setUrl(url + ";DB_CLOSE_ON_EXIT=FALSE");
        }
    }

    /**
     * Bounds every wait of the service's PostgreSQL sessions, so that a frozen or partitioned peer
     * cannot hold this instance's work up for long: the server gives up a lock wait after
     * {@code lockTimeout} and a statement after {@code statementTimeout}, and ends a session that
     * sits idle inside a transaction for {@code transactionIdleTimeout} (releasing its row locks:
     * this is what lets a claim locked by a frozen instance be taken over); the driver gives up a
     * read a little after the statement timeout and keeps TCP alive. Values set in
     * {@code database.properties} ({@code options}, {@code socketTimeout}, {@code tcpKeepAlive})
     * win. Called after the migrations, which may take longer than any of these.
     */
    public static void boundWaits(DataSourceFactory database, Duration lockTimeout, Duration statementTimeout,
                                  Duration transactionIdleTimeout) {
        if (!isPostgres(database)) {
            return;
        }
        Map<String, String> properties = database.getProperties();
        String limits = "-c lock_timeout=" + lockTimeout.toMillis()
                + " -c statement_timeout=" + statementTimeout.toMillis()
                + " -c idle_in_transaction_session_timeout=" + transactionIdleTimeout.toMillis();
        // The operator's options go last: a setting given twice takes the last value.
        properties.merge("options", limits, (theirs, ours) -> ours + " " + theirs);
        properties.putIfAbsent("socketTimeout", Long.toString(statementTimeout.toSeconds() + 30));
        properties.putIfAbsent("tcpKeepAlive", "true");
    }

    /**
     * A connection of its own, outside the pool, for the lease thread: a pool whose connections
     * are all busy (or stuck behind a frozen peer's locks) must not keep leases from being renewed.
     * On PostgreSQL it gives up a read after five seconds, so a partition is noticed in time.
     */
    public static Connection openDedicatedConnection(DataSourceFactory database, String applicationName)
            throws SQLException {
        if (isPostgres(database)) {
            Connection connection = openDedicatedPostgresConnection(database, applicationName);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET statement_timeout = 4000");
                statement.execute("SET lock_timeout = 2000");
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        }
        return DriverManager.getConnection(database.getUrl(), database.getUser(), database.getPassword());
    }

    /**
     * An H2 database keeps commits in memory for up to half a second ({@code WRITE_DELAY}) before
     * writing them to its file, so a killed process would lose requests it had already answered
     * with 201. This makes each commit reach the file before it returns. Other databases are left
     * alone.
     */
    public static void makeH2CommitsDurable(DataSourceFactory database, Jdbi jdbi) {
        String url = database.getUrl();
        if (url == null || !url.startsWith("jdbc:h2:") || url.startsWith("jdbc:h2:mem:")) {
            return;
        }
        try {
            jdbi.useHandle(handle -> handle.execute("SET WRITE_DELAY 0"));
        } catch (JdbiException e) {
            LOG.warn("cannot make H2 write each commit at once (SET WRITE_DELAY 0): {}; a crash may lose"
                    + " the last half second of accepted requests", e.toString());
        }
    }

    /**
     * A PostgreSQL connection of its own, outside the pool, for a task that holds it for good
     * (LISTEN). It times out reads after a few seconds so that a dead connection is noticed.
     */
    public static Connection openDedicatedPostgresConnection(DataSourceFactory database, String applicationName)
            throws SQLException {
        Properties properties = new Properties();
        properties.putAll(database.getProperties());
        if (database.getUser() != null) {
            properties.setProperty("user", database.getUser());
        }
        if (database.getPassword() != null) {
            properties.setProperty("password", database.getPassword());
        }
        properties.setProperty("ApplicationName", applicationName);
        properties.setProperty("socketTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = new org.postgresql.Driver().connect(database.getUrl(), properties);
        if (connection == null) {
            throw new SQLException("not a PostgreSQL URL: " + database.getUrl());
        }
        return connection;
    }
}
