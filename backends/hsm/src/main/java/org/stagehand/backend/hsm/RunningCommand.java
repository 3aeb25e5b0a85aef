package org.stagehand.backend.hsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.stagehand.backend.support.Processes;

/**
 * A started HSM command whose output goes to private temporary files (no pipe to drain, so a
 * chatty tool never blocks) and whose temporary files are removed by {@link #close()}.
 */
final class RunningCommand implements AutoCloseable {

    private final List<String> commandLine;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final List<Path> temporaryFiles;
    private volatile boolean killed;

    RunningCommand(List<String> commandLine, Process process, Path stdout, Path stderr, List<Path> temporaryFiles) {
        this.commandLine = commandLine;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.temporaryFiles = temporaryFiles;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Completes when the process ends. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Waits up to {@code timeout} for the command to end; then ends it like {@link #kill()}.
     *
     * @throws InterruptedException when interrupted while waiting; the command is ended first
     */
    void awaitOrKill(Duration timeout) throws InterruptedException {
        try {
            if (!Processes.awaitOrEnd(process, timeout)) {
                killed = true;
            }
        } catch (InterruptedException e) {
            killed = true;
            throw e;
        }
    }

    /**
     * Ends the command and whatever it started that is still running (TERM, a grace, then KILL).
     * Used when its answer is no longer wanted: timed out, its files cancelled, the service stopping.
     */
    void kill() {
        if (process.isAlive()) {
            killed = true;
            Processes.endTree(process.toHandle());
        }
    }

    /** The result of an ended command. */
    CommandResult result() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("still running: " + commandLine);
        }
        return new CommandResult(commandLine, process.exitValue(), killed,
                readLenient(stdout), readLenient(stderr));
    }

    /** Tools print file names in whatever encoding they were created in: never fail on bad UTF-8. */
    private static String readLenient(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Kills the command if it still runs and removes its temporary files. */
    @Override
    public void close() {
        kill();
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            // the batch's thread must still see that it was interrupted (a stop, a lost claim)
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // removing the files matters more than seeing the process go
        }
        for (Path file : temporaryFiles) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a leftover in the work directory is harmless
            }
        }
    }
}
