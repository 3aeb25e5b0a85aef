package org.stagehand.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.stagehand.lifecycle.StagingAreaCleaner;
import org.stagehand.lifecycle.StagingAreaCleaner.CleanupReport;

/**
 * {@code POST /tasks/evict[?dry-run=true]}: runs the staging-area clean-up now, or lists what it
 * would delete.
 */
public final class EvictTask extends Task {

    private final StagingAreaCleaner cleaner;

    public EvictTask(StagingAreaCleaner cleaner) {
        super("evict");
        this.cleaner = cleaner;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println(TaskOutcome.of(() -> {
            TaskParameters.only(parameters, "dry-run");
            boolean dryRun = parseDryRun(parameters.get("dry-run"));
            CleanupReport report = cleaner.cleanUp(dryRun);
            StringBuilder text = new StringBuilder(report.summary());
            report.evictedPaths().forEach(path -> text.append(System.lineSeparator()).append(path));
            return text.toString();
        }));
    }

    private static boolean parseDryRun(List<String> values) {
        if (values == null || values.isEmpty()) {
            return false;
        }
        String value = values.get(0).trim();
        if (value.equalsIgnoreCase("true") || value.isEmpty()) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("'dry-run' must be true or false, not '" + value + "'");
    }
}
