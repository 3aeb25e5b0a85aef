package org.stagehand.admin;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.stagehand.work.WorkDispatcher;

/**
 * {@code POST /tasks/pause} and {@code POST /tasks/resume}: stop and restart claiming work on this
 * instance. Requests are still accepted and queued while paused; batches under way finish.
 */
public final class PauseWorkTask extends Task {

    private final WorkDispatcher dispatcher;
    private final boolean pause;

    private PauseWorkTask(String name, WorkDispatcher dispatcher, boolean pause) {
        super(name);
        this.dispatcher = dispatcher;
        this.pause = pause;
    }

    public static PauseWorkTask pause(WorkDispatcher dispatcher) {
        return new PauseWorkTask("pause", dispatcher, true);
    }

    public static PauseWorkTask resume(WorkDispatcher dispatcher) {
        return new PauseWorkTask("resume", dispatcher, false);
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) {
        output.println(TaskOutcome.of(() -> {
            TaskParameters.only(parameters);
            if (pause) {
                dispatcher.pause();
                return "work paused on this instance; " + dispatcher.batchesInFlight()
                        + " batches under way will finish; new requests are queued";
            }
            dispatcher.resume();
            return "work resumed on this instance";
        }));
    }
}
