package org.stagehand.backend.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendHealth;
import org.stagehand.backend.DescribesPaths;
import org.stagehand.backend.OutcomeListener;
import org.stagehand.backend.StagingBatch;
import org.stagehand.backend.support.Executables;

/**
 * Stages from a file system managed by an HSM: files whose data is on tape are recalled through the
 * HSM's own commands, then copied like the POSIX backend copies. Thread-safe: each batch gets its
 * own {@link BatchRun}. Describes locations with a stat and the preset's state query
 * ({@link HsmPathDescriber}), so files outside the catalog can be staged by path. A preset whose
 * state tool also says on which volume a file lies is {@link VolumeLocatingHsmBackend}.
 */
class HsmBackend implements ArchiveBackend, DescribesPaths {

    private final HsmTools tools;
    private final HsmPathDescriber describer;

    HsmBackend(HsmTools tools, PresetLocality localities) {
        this.tools = tools;
        this.describer = new HsmPathDescriber(tools.copier(), tools.states(), localities);
    }

    @Override
    public void stage(StagingBatch batch, OutcomeListener listener) throws InterruptedException {
        new BatchRun(batch, listener, tools).run();
    }

    @Override
    public Optional<ArchivedFile> describe(String archiveLocation) throws IOException {
        Map<String, Optional<ArchivedFile>> answer = describer.describeAll(List.of(archiveLocation));
        if (!answer.containsKey(archiveLocation)) {
            throw new IOException(tools.states().command().programName() + " did not say where the data of " + archiveLocation + " is");
        }
        return answer.get(archiveLocation);
    }

    @Override
    public Map<String, Optional<ArchivedFile>> describeAll(Collection<String> archiveLocations) throws IOException {
        return describer.describeAll(archiveLocations);
    }

    /** Nothing to release: each batch ends its own commands. */
    @Override
    public void close() {
    }

    @Override
    public BackendHealth checkHealth() {
        Path root = tools.copier().root();
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            return BackendHealth.unhealthy("archive root " + root + " is missing or unreadable; check the HSM mount");
        }
        Set<String> programs = new LinkedHashSet<>();
        programs.add(tools.states().command().program());
        programs.add(tools.recall().command().program());
        for (String program : programs) {
            // The JVM looks bare names up on its own PATH, not on the one given to the command.
            if (Executables.find(program, System.getenv("PATH")).isEmpty()) {
                return BackendHealth.unhealthy("HSM command " + program
                        + " is not an executable file (nor found on PATH); set backend.commands or install the HSM client");
            }
        }
        return BackendHealth.healthy("archive root " + root + " is readable; " + String.join(" and ", programs)
                + " are executable");
    }
}
