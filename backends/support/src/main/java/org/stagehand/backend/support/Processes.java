package org.stagehand.backend.support;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Starting, waiting for and ending the external tools backends drive ({@code hsi}, HSM commands).
 *
 * <p>Every tool starts with standard input from {@code /dev/null}: a tool that asks for a password
 * fails instead of waiting for one; a tool fed commands while it runs gets a pipe instead
 * ({@link #builderWithPipedInput}). A tool that must go is ended with its whole process tree: TERM
 * first, so that it can let go of a tape or a session, then KILL for whatever is left after
 * {@link #TERMINATION_GRACE}.
 */
public final class Processes {

    /** How long a tool has between TERM and KILL. */
    public static final Duration TERMINATION_GRACE = Duration.ofSeconds(2);

    private static final File NO_INPUT = new File("/dev/null");

    private Processes() {
    }

    /**
     * A builder for {@code commandLine} with standard input from {@code /dev/null} and
     * {@code extraEnvironment} added to the service's environment. Output redirections are the
     * caller's.
     */
    public static ProcessBuilder builder(List<String> commandLine, Map<String, String> extraEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(commandLine).redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
        builder.environment().putAll(extraEnvironment);
        return builder;
    }

    /**
     * Like {@link #builder}, but standard input is a pipe the caller writes to
     * ({@link Process#getOutputStream()}), for a tool fed its commands while it runs. The caller
     * closes it when it has nothing more to say; a tool that asks for a password then reads the
     * caller's next line or the end of input, never a person's answer.
     */
    public static ProcessBuilder builderWithPipedInput(List<String> commandLine, Map<String, String> extraEnvironment) {
        return builder(commandLine, extraEnvironment).redirectInput(ProcessBuilder.Redirect.PIPE);
    }

    /**
     * Starts the builder's command with standard error merged into standard output, collects the
     * output lines and waits up to {@code timeout}; a command still running then is ended with its
     * tree.
     *
     * @throws IOException when the command cannot be started
     * @throws InterruptedException when interrupted while waiting; the command is ended first
     */
    public static Output run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = readLines(process, lines::add, () -> { }, "process-output-" + process.pid());
        boolean ended = awaitOrEnd(process, timeout);
        reader.join(TERMINATION_GRACE.toMillis());
        synchronized (lines) {
            return new Output(ended ? process.exitValue() : -1, List.copyOf(lines), !ended);
        }
    }

    /**
     * Waits up to {@code timeout} for the process to end; ends it with its tree when it does not.
     *
     * @return true when the process ended by itself, false when it had to be ended
     * @throws InterruptedException when interrupted while waiting; the process is ended first
     */
    public static boolean awaitOrEnd(Process process, Duration timeout) throws InterruptedException {
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            endTree(process.toHandle());
            throw e;
        }
        endTree(process.toHandle());
        return false;
    }

    /**
     * Reads the process's standard output line by line on a daemon thread, then runs {@code atEnd}.
     * Unreadable bytes become replacement characters: tools print file names in whatever encoding
     * they were created in.
     */
    public static Thread readLines(Process process, Consumer<String> lineConsumer, Runnable atEnd, String threadName) {
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

    /** Ends the process and everything it started: TERM, the grace, then KILL. */
    public static void endTree(ProcessHandle process) {
        endTrees(List.of(process));
    }

    /**
     * Ends these processes and everything they started: TERM to each, then KILL to all of them
     * when a root is still alive after {@link #TERMINATION_GRACE}. Descendants are gathered before
     * the first signal, so a child whose parent dies first is not missed; once the roots are gone,
     * descendants still alive get KILL at once (they are waited for only through their roots: the
     * JDK can watch a process that is not its child only by polling).
     */
    public static void endTrees(Collection<ProcessHandle> roots) {
        List<ProcessHandle> descendants = new ArrayList<>();
        for (ProcessHandle root : roots) {
            descendants.addAll(root.descendants().toList());
        }
        descendants.forEach(ProcessHandle::destroy);
        roots.forEach(ProcessHandle::destroy);
        try {
            if (!awaitAll(roots, TERMINATION_GRACE)) {
                roots.forEach(ProcessHandle::destroyForcibly);
                awaitAll(roots, TERMINATION_GRACE);
            }
        } catch (InterruptedException e) {
            roots.forEach(ProcessHandle::destroyForcibly);
            Thread.currentThread().interrupt();
        } finally {
            descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** Whether all ended within {@code limit}. */
    private static boolean awaitAll(Collection<ProcessHandle> processes, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * What a finished command left.
     *
     * @param exitCode the exit status, -1 when it was ended for taking too long
     * @param lines its merged output and error lines
     * @param timedOut whether it was ended for taking too long
     */
    public record Output(int exitCode, List<String> lines, boolean timedOut) {
    }
}
