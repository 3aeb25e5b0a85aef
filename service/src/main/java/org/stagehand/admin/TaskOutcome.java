package org.stagehand.admin;

import java.util.concurrent.Callable;
import org.stagehand.http.ApiException;

/**
 * Runs a task's work and turns what an operator got wrong (a missing parameter, an unknown
 * request) into a one-line answer starting with {@code error:}, instead of a stack trace.
 */
final class TaskOutcome {

    private TaskOutcome() {
    }

    static String of(Callable<String> work) {
        try {
            return work.call();
        } catch (IllegalArgumentException | ApiException e) {
            return "error: " + e.getMessage();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
