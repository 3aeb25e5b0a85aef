package org.stagehand.backend.hsm;

import java.util.List;

/**
 * How a finished (or abandoned) command ended.
 *
 * @param commandLine what was run
 * @param exitCode the exit code; meaningless when {@code timedOut}
 * @param timedOut whether the command was killed for taking too long
 * @param stdout its standard output
 * @param stderr its standard error
 */
record CommandResult(List<String> commandLine, int exitCode, boolean timedOut, String stdout, String stderr) {

    boolean succeeded() {
        return !timedOut && exitCode == 0;
    }

    /** The last lines of standard error, short enough for a per-file message. */
    String stderrTail() {
        String trimmed = stderr.strip();
        if (trimmed.isEmpty()) {
            return "";
        }
        String[] lines = trimmed.split("\\R");
        String tail = String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - 3), lines.length));
        return tail.length() <= 400 ? tail : "…" + tail.substring(tail.length() - 400);
    }

    /** "exited with 8: ANS9999E ..." or "did not finish within ...". */
    String describeFailure(String program) {
        if (timedOut) {
            return program + " did not finish in time and was stopped";
        }
        String tail = stderrTail();
        return program + " exited with " + exitCode + (tail.isEmpty() ? "" : ": " + tail);
    }
}
