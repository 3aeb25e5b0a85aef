package org.stagehand.backend.hsm;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.support.ArchiveFileCopier;
import org.stagehand.backend.support.ConfiguredDirectories;
import org.stagehand.backend.support.FileTreeBackendFactory;

/**
 * {@code backend: {type: hsm, preset: dmf, root: /dmf/archive}}: the archive is a file system
 * managed by a hierarchical storage manager. A catalog entry's archive location is a path below
 * {@code root}, as for the POSIX backend. Files whose data is on tape are recalled with the HSM's
 * commands, one call per file system and batch, then copied.
 *
 * <p>The preset supplies the state command, how to read its output and the recall command; each of
 * these keys may be set to override it, and {@code preset: custom} requires them all. See
 * {@code docs/backends.md} (HSM section).
 */
@JsonTypeName("hsm")
public class HsmBackendFactory extends FileTreeBackendFactory {

    @NotNull
    private HsmPreset preset;

    private List<String> fileSystems = List.of();
    private Map<String, String> commands = Map.of();
    private Map<String, String> environment = Map.of();
    private List<String> stateCommand;
    private String statePattern;
    private String onlinePattern;
    private String offlinePattern;
    private String recallingPattern;
    private String lostPattern;
    private String locatePattern;
    private List<String> recallCommand;
    private Set<Integer> permanentRecallExitCodes = Set.of();

    @NotNull @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration pollInterval = Duration.seconds(30);
    @NotNull @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration recallTimeout = Duration.hours(4);
    @NotNull @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration commandTimeout = Duration.minutes(5);
    @Min(1) @Max(100_000)
    private int maxFilesPerRecall = 1000;
    @Min(1) @Max(100_000)
    private int maxFilesPerStateQuery = 500;
    @Min(1) @Max(1000)
    private int maxSessions = 2;
    private String workDirectory;

    @Override
    public ArchiveBackend build(BackendContext context) throws IOException {
        ArchiveFileCopier copier = copier();
        List<Path> fileSystemPaths = new ArrayList<>();
        for (String fileSystem : fileSystems) {
            fileSystemPaths.add(ConfiguredDirectories.readable("backend.fileSystems", fileSystem));
        }
        // Longest first, so a file goes with the innermost file system holding it.
        fileSystemPaths.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        Path work = workDirectory == null ? Path.of(System.getProperty("java.io.tmpdir")).toRealPath()
                : ConfiguredDirectories.readable("backend.workDirectory", workDirectory);
        PresetCommands presetCommands = PresetCommands.resolve(preset, commands, stateCommand, statePattern, onlinePattern,
                offlinePattern, recallingPattern, lostPattern, locatePattern, recallCommand);
        MetricRegistry metrics = context.metrics();
        CommandRunner runner = new CommandRunner(environment, work);
        StateQuery states = new StateQuery(runner, presetCommands.stateCommand(), presetCommands.parser(),
                presetCommands.places(), presetCommands.rules(), maxFilesPerStateQuery, commandTimeout.toJavaDuration(),
                metrics.counter("hsm.state.calls"));
        RecallSettings recallSettings = new RecallSettings(presetCommands.recallCommand(), fileSystemPaths, maxFilesPerRecall,
                pollInterval.toJavaDuration(), recallTimeout.toJavaDuration(), permanentRecallExitCodes);
        HsmTools tools = new HsmTools(copier, states, runner, recallSettings, metrics.counter("hsm.recall.calls"),
                metrics.counter("hsm.recall.files"), context.mounts());
        // a configured state command prints what it likes: only the classification can be read then
        PresetLocality localities = new PresetLocality(stateCommand == null ? preset : HsmPreset.CUSTOM);
        return states.places() ? new VolumeLocatingHsmBackend(tools, localities, maxSessions)
                : new HsmBackend(tools, localities);
    }

    // --- configuration properties --------------------------------------------------------------

    /** Which HSM: {@code dmf}, {@code spectrum}, {@code lustre}, {@code samqfs} or {@code custom}. */
    @JsonProperty
    public HsmPreset getPreset() {
        return preset;
    }

    @JsonProperty
    public void setPreset(HsmPreset preset) {
        this.preset = preset;
    }

    /** The HSM file systems' mount points; default: the root is the one file system. */
    @JsonProperty
    public List<String> getFileSystems() {
        return fileSystems;
    }

    @JsonProperty
    public void setFileSystems(List<String> fileSystems) {
        this.fileSystems = fileSystems == null ? List.of() : List.copyOf(fileSystems);
    }

    /** Paths of the preset's programs, by name ({@code dmls: /opt/dmf/bin/dmls}). */
    @JsonProperty
    public Map<String, String> getCommands() {
        return commands;
    }

    @JsonProperty
    public void setCommands(Map<String, String> commands) {
        this.commands = commands == null ? Map.of() : new LinkedHashMap<>(commands);
    }

    /** Variables added to the environment of every HSM command (e.g. {@code DSM_CONFIG}). */
    @JsonProperty
    public Map<String, String> getEnvironment() {
        return environment;
    }

    @JsonProperty
    public void setEnvironment(Map<String, String> environment) {
        this.environment = environment == null ? Map.of() : new LinkedHashMap<>(environment);
    }

    /**
     * The command that prints the files' HSM states ({@code {files}} or {@code {fileList}} in it);
     * default: the preset's, required with {@code custom}.
     */
    @JsonProperty
    public List<String> getStateCommand() {
        return stateCommand;
    }

    @JsonProperty
    public void setStateCommand(List<String> stateCommand) {
        this.stateCommand = stateCommand;
    }

    /**
     * A line of the state command's output, with the named groups {@code path} and {@code state};
     * default: the preset's.
     */
    @JsonProperty
    public String getStatePattern() {
        return statePattern;
    }

    @JsonProperty
    public void setStatePattern(String statePattern) {
        this.statePattern = statePattern;
    }

    /** State texts meaning the data is on disk (searched for last); default: the preset's. */
    @JsonProperty
    public String getOnlinePattern() {
        return onlinePattern;
    }

    @JsonProperty
    public void setOnlinePattern(String onlinePattern) {
        this.onlinePattern = onlinePattern;
    }

    /**
     * State texts meaning the data is on tape only and must be recalled; default: the preset's.
     */
    @JsonProperty
    public String getOfflinePattern() {
        return offlinePattern;
    }

    @JsonProperty
    public void setOfflinePattern(String offlinePattern) {
        this.offlinePattern = offlinePattern;
    }

    /**
     * State texts meaning a recall is under way (waited for, never recalled again); default: the
     * preset's, empty for none.
     */
    @JsonProperty
    public String getRecallingPattern() {
        return recallingPattern;
    }

    @JsonProperty
    public void setRecallingPattern(String recallingPattern) {
        this.recallingPattern = recallingPattern;
    }

    /**
     * State texts meaning the archive copy is lost or damaged (the file fails); default: the
     * preset's, empty for none.
     */
    @JsonProperty
    public String getLostPattern() {
        return lostPattern;
    }

    @JsonProperty
    public void setLostPattern(String lostPattern) {
        this.lostPattern = lostPattern;
    }

    /**
     * A line of the state command's output that says on which tape volume a file lies, with the
     * named groups {@code path} and {@code volume} and optionally {@code position} (decimal, the
     * read order on the volume); when set, the backend tells the service where files lie, which
     * then plans by volume. Default: the preset's ({@code samqfs} reads the copy lines of
     * {@code sls -D}; the other presets' tools print no volume, so none).
     */
    @JsonProperty
    public String getLocatePattern() {
        return locatePattern;
    }

    @JsonProperty
    public void setLocatePattern(String locatePattern) {
        this.locatePattern = locatePattern;
    }

    /**
     * The command that recalls files, one call per file system ({@code {fileSystem}} in it);
     * default: the preset's.
     */
    @JsonProperty
    public List<String> getRecallCommand() {
        return recallCommand;
    }

    @JsonProperty
    public void setRecallCommand(List<String> recallCommand) {
        this.recallCommand = recallCommand;
    }

    /** Recall exit codes that fail the call's files for good; any other failure retries them. */
    @JsonProperty
    public Set<Integer> getPermanentRecallExitCodes() {
        return permanentRecallExitCodes;
    }

    @JsonProperty
    public void setPermanentRecallExitCodes(Set<Integer> permanentRecallExitCodes) {
        this.permanentRecallExitCodes = permanentRecallExitCodes == null ? Set.of()
                : new LinkedHashSet<>(permanentRecallExitCodes);
    }

    /** How often the state of files being recalled is asked (default 30 s; at least 1 ms). */
    @JsonProperty
    public Duration getPollInterval() {
        return pollInterval;
    }

    @JsonProperty
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    /**
     * How long a file may stay offline after its recall was requested before it is reported {@code
     * retry} and a still-running recall is killed (default 4 h; at least 1 ms).
     */
    @JsonProperty
    public Duration getRecallTimeout() {
        return recallTimeout;
    }

    @JsonProperty
    public void setRecallTimeout(Duration recallTimeout) {
        this.recallTimeout = recallTimeout;
    }

    /**
     * How long a state command may run before it is killed; its files then count as without a
     * state (default 5 min; at least 1 ms).
     */
    @JsonProperty
    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    @JsonProperty
    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    /** Files per recall call (default 1000). */
    @JsonProperty
    public int getMaxFilesPerRecall() {
        return maxFilesPerRecall;
    }

    @JsonProperty
    public void setMaxFilesPerRecall(int maxFilesPerRecall) {
        this.maxFilesPerRecall = maxFilesPerRecall;
    }

    /** Files per state call, which keeps command lines short (default 500). */
    @JsonProperty
    public int getMaxFilesPerStateQuery() {
        return maxFilesPerStateQuery;
    }

    @JsonProperty
    public void setMaxFilesPerStateQuery(int maxFilesPerStateQuery) {
        this.maxFilesPerStateQuery = maxFilesPerStateQuery;
    }

    /**
     * When the backend locates files ({@code samqfs}, or a {@code locatePattern}): how many volumes
     * the service may have it recall from at once, each as one batch, i.e. the tape drives
     * Stagehand may keep busy (default 2; 1 to 1000). Ignored otherwise.
     */
    @JsonProperty
    public int getMaxSessions() {
        return maxSessions;
    }

    @JsonProperty
    public void setMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** Where file lists and command output are kept while a command runs; default: the JVM's temporary directory. */
    @JsonProperty
    public String getWorkDirectory() {
        return workDirectory;
    }

    @JsonProperty
    public void setWorkDirectory(String workDirectory) {
        this.workDirectory = workDirectory;
    }

}
