package org.stagehand.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.stagehand.staging.StagingService;

/** {@code POST /tasks/retry?id=<uuid>}: queues a request's failed and cancelled files again. */
public final class RetryRequestTask extends Task {

    private final StagingService staging;

    public RetryRequestTask(StagingService staging) {
        super("retry");
        this.staging = staging;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println(TaskOutcome.of(() -> {
            TaskParameters.only(parameters, "id");
            return staging.retry(TaskParameters.requestId(parameters));
        }));
    }
}
