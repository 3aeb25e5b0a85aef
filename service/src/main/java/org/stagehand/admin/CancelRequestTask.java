package org.stagehand.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.stagehand.requests.RequestOperations;

/** {@code POST /tasks/cancel?id=<uuid>}: cancels a request; its files stop unless another request needs them. */
public final class CancelRequestTask extends Task {

    private final RequestOperations operations;

    public CancelRequestTask(RequestOperations operations) {
        super("cancel");
        this.operations = operations;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println(TaskOutcome.of(() -> {
            TaskParameters.only(parameters, "id");
            return operations.cancel(TaskParameters.requestId(parameters));
        }));
    }
}
