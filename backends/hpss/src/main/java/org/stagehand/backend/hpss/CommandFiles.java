package org.stagehand.backend.hpss;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stagehand.backend.support.Processes;

/**
 * The recall command files ({@code recall-<pid>-<volume>-<n>.hsi}) in the command directory:
 * named after the service process that wrote them, so that a start-up can tell the leftovers of
 * a process that died (killed, crashed) from the files of a live one sharing the directory.
 *
 * <p>The sweep ends the hsi sessions still reading a dead process's command file (they were
 * orphaned when the process died and would go on writing into the staging area) and then deletes
 * the file. It touches nothing else: other names, directories and links are left alone.
 */
final class CommandFiles {

    private static final Logger LOG = LoggerFactory.getLogger(CommandFiles.class);
    /** {@code recall-<pid>-<volume>-<n>.hsi}; before pids were in the name, {@code recall-<volume>-<n>.hsi}. */
    private static final Pattern OURS = Pattern.compile("recall-(?:(\\d+)-)?[^-/]+-\\d+\\.hsi");

    private CommandFiles() {
    }

    /** Creates an empty command file for a recall from {@code volume}, owner-only. */
    static Path create(Path directory, String volume) throws IOException {
        Files.createDirectories(directory);
        return Files.createTempFile(directory, "recall-" + ProcessHandle.current().pid() + "-" + volume + "-", ".hsi");
    }

    /**
     * Deletes the command files of service processes that are gone, after ending the hsi
     * sessions still reading them.
     *
     * @return how many files were deleted
     */
    static int sweep(Path directory) {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                Matcher name = OURS.matcher(entry.getFileName().toString());
                if (name.matches() && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && ownerIsGone(entry, name.group(1))) {
                    leftovers.add(entry);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for command files left in {}: {}", directory, e.toString());
            return 0;
        }
        int deleted = 0;
        for (Path leftover : leftovers) {
            int ended = endSessionsReading(leftover.getFileName().toString());
            try {
                Files.deleteIfExists(leftover);
                deleted++;
                LOG.info("deleted hsi command file {} left by a service process that is gone{}", leftover,
                        ended == 0 ? "" : "; ended the " + ended + " orphaned hsi process(es) still reading it");
            } catch (IOException e) {
                LOG.warn("cannot delete the leftover hsi command file {}: {}", leftover, e.toString());
            }
        }
        return deleted;
    }

    /** Whether the process that wrote the file has ended (a pid now used by a younger process counts as ended). */
    private static boolean ownerIsGone(Path file, String pid) throws IOException {
        Instant written = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        if (pid == null) { // older name without a pid: gone if written before this process started
            return ProcessHandle.current().info().startInstant().map(written::isBefore).orElse(false);
        }
        Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(pid));
        if (owner.isEmpty() || !owner.get().isAlive()) {
            return true;
        }
        return owner.get().info().startInstant().map(started -> started.isAfter(written)).orElse(false);
    }

    /** Ends every process whose arguments name the command file, and what it started. */
    private static int endSessionsReading(String fileName) {
        List<ProcessHandle> readers = ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> process.info().arguments()
                        .map(arguments -> Arrays.stream(arguments).anyMatch(argument -> argument.contains(fileName)))
                        .orElse(false))
                .toList();
        Processes.endTrees(readers);
        return readers.size();
    }
}
