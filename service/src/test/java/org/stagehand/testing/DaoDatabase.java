package org.stagehand.testing;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.logging.common.BootstrapLogging;
import java.util.List;
import java.util.Locale;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.stagehand.db.DatabaseSetup;
import org.stagehand.db.NameCommentTemplateEngine;
import org.stagehand.work.WorkConfiguration;

/**
 * The two databases the DAO tests run on, each set up once per JVM as the service sets its own up:
 * the same driver tuning, the real Liquibase migrations, the same session limits on PostgreSQL, and
 * a Jdbi built by Dropwizard's factory with the service's template engine. Tests share the schema
 * and start from empty tables ({@link #emptied()}), so a DAO test costs milliseconds, not a migration.
 */
public enum DaoDatabase {
    /** An in-memory H2 database in {@code MODE=PostgreSQL}, as {@code database.url} must say. */
    H2,
    /** A database of its own on the embedded PostgreSQL server the test JVM shares. */
    POSTGRESQL;

    private Jdbi jdbi;

    /** Whether this is PostgreSQL (the DAOs that run other statements on it are told so). */
    public boolean isPostgres() {
        return this == POSTGRESQL;
    }

    /** The Jdbi on this database, its tables emptied of every row (the migrations' own tables excepted). */
    public synchronized Jdbi emptied() {
        if (jdbi == null) {
            jdbi = start();
        }
        jdbi.useHandle(this::deleteEveryRow);
        return jdbi;
    }

    private Jdbi start() {
        BootstrapLogging.bootstrap(); // WARN and above, as before a Dropwizard application configures its logging
        DataSourceFactory database = new DataSourceFactory();
        if (isPostgres()) {
            database.setDriverClass("org.postgresql.Driver");
            database.setUrl(TestDatabase.newPostgresDatabase());
            database.setUser("postgres");
            database.setPassword("");
        } else {
            database.setDriverClass("org.h2.Driver");
            // DB_CLOSE_DELAY: the migrations' pool closes before the service's opens.
            database.setUrl("jdbc:h2:mem:stagehand-dao;MODE=PostgreSQL;DB_CLOSE_DELAY=-1");
            database.setUser("sa");
            database.setPassword("");
        }
        Environment environment = new Environment("dao-tests");
        try {
            DatabaseSetup.checkSupported(database);
            DatabaseSetup.tuneDriver(database);
            DatabaseSetup.migrate(database, environment.metrics());
        } catch (Exception e) {
            throw new IllegalStateException("cannot migrate the " + this + " test database", e);
        }
        WorkConfiguration defaults = new WorkConfiguration();
        DatabaseSetup.boundWaits(database, defaults.getLockTimeout().toJavaDuration(),
                defaults.getStatementTimeout().toJavaDuration(), defaults.getTransactionIdleTimeout().toJavaDuration());
        Jdbi built = new JdbiFactory().build(environment, database, "database");
        built.setTemplateEngine(new NameCommentTemplateEngine());
        return built;
    }

    /** Deletes every row without knowing the tables: new tables of later changesets are emptied too. */
    private void deleteEveryRow(Handle handle) {
        List<String> tables = handle.createQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE lower(table_schema) = 'public' AND table_type IN ('BASE TABLE', 'TABLE')"
                        + " AND lower(table_name) NOT LIKE 'databasechangelog%'")
                .mapTo(String.class)
                .list();
        if (isPostgres()) {
            handle.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
            return;
        }
        handle.execute("SET REFERENTIAL_INTEGRITY FALSE");
        try {
            for (String table : tables) {
                handle.execute("TRUNCATE TABLE " + table.toLowerCase(Locale.ROOT));
            }
        } finally {
            handle.execute("SET REFERENTIAL_INTEGRITY TRUE");
        }
    }
}
