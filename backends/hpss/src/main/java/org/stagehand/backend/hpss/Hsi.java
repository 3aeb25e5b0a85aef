package org.stagehand.backend.hpss;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stagehand.backend.support.Processes;
import org.stagehand.backend.support.ServiceEnvironment;

/**
 * Starts {@code hsi} processes: the configured executable, the configured extra arguments and
 * environment (with {@code ${env:NAME}} references filled in from the service's environment, so
 * secrets never sit in the configuration file), then {@code -q} and one command string.
 *
 * <p>Output and error streams are merged so that error lines stay in order with the rest.
 * Standard input is {@code /dev/null} ({@link Processes}): an {@code hsi} that wants a password
 * fails instead of waiting for one; a recall session's is the pipe its commands come through
 * ({@link #startSession}).
 */
final class Hsi {


    private final Path executable;
    private final List<String> argumentTemplates;
    private final Map<String, String> environmentTemplates;
    private final List<String> arguments;
    private final Map<String, String> environment;

    /**
     * @param executable the {@code hsi} binary
     * @param argumentTemplates extra arguments, may hold {@code ${env:NAME}}
     * @param environmentTemplates extra environment variables, values may hold {@code ${env:NAME}}
     * @param serviceEnvironment where {@code ${env:NAME}} is looked up
     * @throws IllegalArgumentException naming the configuration key when a referenced variable is unset
     */
    Hsi(Path executable, List<String> argumentTemplates, Map<String, String> environmentTemplates,
            ServiceEnvironment serviceEnvironment) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.argumentTemplates = List.copyOf(argumentTemplates);
        this.environmentTemplates = Map.copyOf(environmentTemplates);
        List<String> expandedArguments = new ArrayList<>();
        for (String template : argumentTemplates) {
            expandedArguments.add(serviceEnvironment.expand(template, "backend.hsiArguments"));
        }
        Map<String, String> expandedEnvironment = new LinkedHashMap<>();
        environmentTemplates.forEach((name, template) ->
                expandedEnvironment.put(name, serviceEnvironment.expand(template, "backend.environment." + name)));
        this.arguments = List.copyOf(expandedArguments);
        this.environment = Map.copyOf(expandedEnvironment);
    }

    Path executable() {
        return executable;
    }

    /** The command line as configured, with {@code ${env:...}} references left unexpanded: safe to log. */
    String describe(String command) {
        List<String> words = new ArrayList<>();
        words.add(executable.toString());
        words.addAll(argumentTemplates);
        words.add("-q");
        words.add(command);
        return String.join(" ", words) + (environmentTemplates.isEmpty() ? "" : " (with " + environmentTemplates.keySet() + " set)");
    }

    /** Starts {@code hsi ... -q <command>}, its error lines merged into its output. */
    Process start(String command) throws IOException {
        return builder(command).redirectErrorStream(true).start();
    }

    /**
     * Starts {@code hsi ... -q} with no command: it reads its commands from standard input, a
     * pipe the caller writes one command a line to and closes at the end (hsi also ends at
     * {@code quit}). It prompts before each command without a newline, so its next output line
     * comes glued to the prompt ({@link HsiMessages#stripPrompt}); an error does not end it.
     * Its error lines are merged into its output.
     */
    Process startSession() throws IOException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(executable.toString());
        commandLine.addAll(arguments);
        commandLine.add("-q");
        return Processes.builderWithPipedInput(commandLine, environment).redirectErrorStream(true).start();
    }

    /**
     * Runs one command to completion, collecting its output lines.
     *
     * @return the output; {@link Processes.Output#timedOut()} when hsi was ended after {@code timeout}
     * @throws InterruptedException after ending hsi
     */
    Processes.Output run(String command, Duration timeout) throws IOException, InterruptedException {
        return Processes.run(builder(command), timeout);
    }

    private ProcessBuilder builder(String command) {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(executable.toString());
        commandLine.addAll(arguments);
        commandLine.add("-q");
        commandLine.add(command);
        return Processes.builder(commandLine, environment);
    }
}
