package org.stagehand.backend.hpss;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code hsi} processes: the configured executable, the configured extra arguments and
 * environment (with {@code ${env:NAME}} references filled in from the service's environment, so
 * secrets never sit in the configuration file), then {@code -q} and one command string.
 *
 * <p>Output and error streams are merged so that error lines stay in order with the rest.
 * Standard input is {@code /dev/null}: an {@code hsi} that wants a password fails instead of
 * waiting for one.
 */
final class Hsi {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);

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
            Map<String, String> serviceEnvironment) {
        this.executable = Objects.requireNonNull(executable, "executable");
        this.argumentTemplates = List.copyOf(argumentTemplates);
        this.environmentTemplates = Map.copyOf(environmentTemplates);
        List<String> expandedArguments = new ArrayList<>();
        for (String template : argumentTemplates) {
            expandedArguments.add(expand(template, serviceEnvironment, "backend.hsiArguments"));
        }
        Map<String, String> expandedEnvironment = new LinkedHashMap<>();
        environmentTemplates.forEach((name, template) ->
                expandedEnvironment.put(name, expand(template, serviceEnvironment, "backend.environment." + name)));
        this.arguments = List.copyOf(expandedArguments);
        this.environment = Map.copyOf(expandedEnvironment);
    }

    private static String expand(String template, Map<String, String> serviceEnvironment, String key) {
        Matcher matcher = ENV_REFERENCE.matcher(template);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            String value = serviceEnvironment.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException(key + ": environment variable " + matcher.group(1) + " is not set");
            }
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
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

    /** Starts {@code hsi ... -q <command>}. */
    Process start(String command) throws IOException {
        List<String> commandLine = new ArrayList<>();
        commandLine.add(executable.toString());
        commandLine.addAll(arguments);
        commandLine.add("-q");
        commandLine.add(command);
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * Runs one command to completion, collecting its output lines.
     *
     * @return the result; {@link Result#timedOut()} when the process was killed after {@code timeout}
     * @throws InterruptedException after killing the process
     */
    Result run(String command, Duration timeout) throws IOException, InterruptedException {
        Process process = start(command);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = startReader(process, lines::add, () -> { }, "hsi-output-" + process.pid());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                terminate(process);
                reader.join(TERMINATION_GRACE.toMillis());
                return new Result(-1, List.copyOf(lines), true);
            }
            reader.join(TERMINATION_GRACE.toMillis());
            return new Result(process.exitValue(), List.copyOf(lines), false);
        } catch (InterruptedException e) {
            terminate(process);
            throw e;
        }
    }

    /** Reads the process's merged output line by line on a daemon thread, then runs {@code atEnd}. */
    static Thread startReader(Process process, Consumer<String> lineConsumer, Runnable atEnd, String threadName) {
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    lineConsumer.accept(line);
                }
            } catch (IOException e) {
                // the stream closes when the process is killed; nothing more to read
            } finally {
                atEnd.run();
            }
        }, threadName);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Ends the process and anything it started: a polite signal first, then a kill. */
    static void terminate(Process process) {
        List<ProcessHandle> family = new ArrayList<>(process.descendants().toList());
        family.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                family.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(TERMINATION_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                family.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            }
        } catch (InterruptedException e) {
            family.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What a finished {@code hsi} call left.
     *
     * @param exitCode the exit status, -1 when killed
     * @param lines merged output and error lines
     * @param timedOut whether the call was killed for taking too long
     */
    record Result(int exitCode, List<String> lines, boolean timedOut) {
    }
}
