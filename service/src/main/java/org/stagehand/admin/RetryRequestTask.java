package org.stagehand.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.stagehand.requests.RequestOperations;

/** {@code POST /tasks/retry?id=<uuid>}: queues a request's failed and cancelled files again. */
public final class RetryRequestTask extends Task {

    private final RequestOperations operations;

    public RetryRequestTask(RequestOperations operations) {
        super("retry");
        this.operations = operations;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println(TaskOutcome.of(() -> {
            TaskParameters.only(parameters, "id");
            return operations.retry(TaskParameters.requestId(parameters));
        }));
    }
}
