package org.stagehand.app;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.ConfiguredCommand;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.db.ManagedDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Collectors;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.stagehand.catalog.CatalogFileException;
import org.stagehand.catalog.CatalogImportReport;
import org.stagehand.catalog.CatalogImporter;
import org.stagehand.db.DatabaseSetup;

/**
 * {@code import-catalog config.yml FILE}: imports a catalog file into the configured database,
 * the same code path as the import at start-up. Exits non-zero when entries were refused.
 */
public final class ImportCatalogCommand extends ConfiguredCommand<StagehandConfiguration> {

    public ImportCatalogCommand() {
        super("import-catalog", "Imports a Frictionless data package or CSV file into the catalog");
    }

    @Override
    public void configure(Subparser subparser) {
        super.configure(subparser);
        subparser.addArgument("catalog").metavar("FILE")
                .help("a Frictionless data package (.json) or a CSV file (.csv)");
    }

    /**
     * Lists every refused entry, one a line, or says in one line why the file cannot be imported at
     * all, instead of a stack trace; the exit status is non-zero either way.
     */
    @Override
    public void onError(Cli cli, Namespace namespace, Throwable e) {
        if (e instanceof EntriesRefusedException) {
            cli.getStdErr().println(e.getMessage());
        } else if (e instanceof CatalogFileException) {
            cli.getStdErr().println("import-catalog: " + Path.of(namespace.getString("catalog")).getFileName() + ": "
                    + e.getMessage() + "; nothing imported");
        } else {
            super.onError(cli, namespace, e);
        }
    }

    /** Some entries were refused; the others were imported. */
    static final class EntriesRefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        EntriesRefusedException(CatalogImportReport report) {
            super(report.summary() + System.lineSeparator() + report.rejected().stream()
                    .map(rejection -> "refused: " + rejection)
                    .collect(Collectors.joining(System.lineSeparator())), null, false, false);
        }
    }

    @Override
    protected void run(Bootstrap<StagehandConfiguration> bootstrap, Namespace namespace,
                       StagehandConfiguration configuration) throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        DatabaseSetup.checkSupported(configuration.getDatabase());
        if (configuration.isAutoMigrate()) {
            DatabaseSetup.migrate(configuration.getDatabase(), metrics);
        }
        ManagedDataSource dataSource = configuration.getDatabase().build(metrics, "import-catalog");
        dataSource.start();
        try {
            Jdbi jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
            CatalogImporter importer = new CatalogImporter(jdbi, bootstrap.getObjectMapper(),
                    configuration.getStaging().getIdPrefix(), DatabaseSetup.isPostgres(configuration.getDatabase()),
                    Clock.systemUTC());
            CatalogImportReport report = importer.importFile(Path.of(namespace.getString("catalog")));
            if (!report.rejected().isEmpty()) {
                throw new EntriesRefusedException(report);
            }
        } finally {
            dataSource.stop();
        }
    }
}
