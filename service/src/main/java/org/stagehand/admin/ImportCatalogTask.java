package org.stagehand.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.stagehand.catalog.CatalogFileException;
import org.stagehand.catalog.CatalogImportReport;
import org.stagehand.catalog.CatalogImporter;

/**
 * {@code POST /tasks/import-catalog?file=<path on the server>}: the same import as the
 * {@code import-catalog} command, into the running service's database.
 */
public final class ImportCatalogTask extends Task {

    private final CatalogImporter importer;

    public ImportCatalogTask(CatalogImporter importer) {
        super("import-catalog");
        this.importer = importer;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println(TaskOutcome.of(() -> {
            TaskParameters.only(parameters, "file");
            Path file = Path.of(TaskParameters.required(parameters, "file"));
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read " + file.toAbsolutePath() + " on the server");
            }
            CatalogImportReport report;
            try {
                report = importer.importFile(file);
            } catch (CatalogFileException e) {
                // A file that is not a catalog at all is the operator's to fix: nothing of it was imported.
                throw new IllegalArgumentException(file.getFileName() + ": " + e.getMessage() + "; nothing imported");
            }
            StringBuilder text = new StringBuilder(report.summary());
            report.rejected().forEach(rejection -> text.append(System.lineSeparator()).append("refused: ").append(rejection));
            return text.toString();
        }));
    }
}
