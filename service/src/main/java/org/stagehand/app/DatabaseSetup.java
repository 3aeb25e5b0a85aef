package org.stagehand.app;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import liquibase.Contexts;
import liquibase.LabelExpression;

/** The schema: one Liquibase changelog, shared by {@code db migrate} and {@code autoMigrate}. */
public final class DatabaseSetup {

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
}
