package org.stagehand.backend.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.stagehand.backend.support.Processes;

/** Starts HSM commands with the configured environment, writing file lists and output below a work directory. */
final class CommandRunner {

    private final Map<String, String> environment;
    private final Path workDirectory;

    /**
     * @param environment variables added to the service's environment for every command
     * @param workDirectory where file lists and captured output live while a command runs
     */
    CommandRunner(Map<String, String> environment, Path workDirectory) {
        this.environment = Map.copyOf(environment);
        this.workDirectory = workDirectory;
    }

    /**
     * Starts the command for these files.
     *
     * @param fileSystem the files' file system, or null when the template has no {@code {fileSystem}}
     * @throws IOException when the program cannot be started (missing, not executable)
     */
    RunningCommand start(CommandTemplate template, List<Path> files, Path fileSystem) throws IOException {
        List<Path> temporaryFiles = new ArrayList<>();
        try {
            Path fileList = null;
            if (template.usesFileList()) {
                fileList = Files.createTempFile(workDirectory, "stagehand-hsm-", ".list");
                temporaryFiles.add(fileList);
                List<String> lines = files.stream().map(Path::toString).toList();
                Files.write(fileList, lines);
            }
            Path stdout = Files.createTempFile(workDirectory, "stagehand-hsm-", ".out");
            temporaryFiles.add(stdout);
            Path stderr = Files.createTempFile(workDirectory, "stagehand-hsm-", ".err");
            temporaryFiles.add(stderr);
            List<String> commandLine = template.expand(files, fileList, fileSystem);
            Process process = Processes.builder(commandLine, environment)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            return new RunningCommand(commandLine, process, stdout, stderr, temporaryFiles);
        } catch (IOException | RuntimeException e) {
            for (Path file : temporaryFiles) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
    }

    /**
     * Runs the command to its end, ending it (and what it started) after {@code timeout}.
     *
     * @throws IOException when the program cannot be started or its output read
     * @throws InterruptedException when interrupted while waiting; the command is killed
     */
    CommandResult run(CommandTemplate template, List<Path> files, Duration timeout)
            throws IOException, InterruptedException {
        try (RunningCommand command = start(template, files, null)) {
            command.awaitOrKill(timeout);
            return command.result();
        }
    }
}
