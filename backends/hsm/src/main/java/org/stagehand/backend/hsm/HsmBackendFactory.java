package org.stagehand.backend.hsm;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.support.ArchiveFileCopier;

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
public class HsmBackendFactory implements ArchiveBackendFactory {

    @NotNull
    private HsmPreset preset;

    @NotEmpty
    private String root;

    private List<String> fileSystems = List.of();

    private Map<String, String> commands = Map.of();

    private Map<String, String> environment = Map.of();

    private List<String> stateCommand;

    private String statePattern;

    private String onlinePattern;

    private String offlinePattern;

    private String recallingPattern;

    private String lostPattern;

    private List<String> recallCommand;

    private Set<Integer> permanentRecallExitCodes = Set.of();

    @NotNull
    private Duration pollInterval = Duration.seconds(30);

    @NotNull
    private Duration recallTimeout = Duration.hours(4);

    @NotNull
    private Duration commandTimeout = Duration.minutes(5);

    @Min(1)
    @Max(100_000)
    private int maxFilesPerRecall = 1000;

    @Min(1)
    @Max(100_000)
    private int maxFilesPerStateQuery = 500;

    private String workDirectory;

    private boolean preserveModificationTime = true;

    @Min(4096)
    private int bufferBytes = 1 << 20;

    @Override
    public ArchiveBackend build(BackendContext context) throws IOException {
        Path rootPath = existingDirectory("backend.root", root);
        List<Path> fileSystemPaths = new ArrayList<>();
        for (String fileSystem : fileSystems) {
            fileSystemPaths.add(existingDirectory("backend.fileSystems", fileSystem));
        }
        // Longest first, so a file goes with the innermost file system holding it.
        fileSystemPaths.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        Path work = workDirectory == null ? Path.of(System.getProperty("java.io.tmpdir")).toRealPath()
                : existingDirectory("backend.workDirectory", workDirectory);
        requirePositive("backend.pollInterval", pollInterval);
        requirePositive("backend.recallTimeout", recallTimeout);
        requirePositive("backend.commandTimeout", commandTimeout);
        checkCommandOverrides();

        CommandTemplate state = template("backend.stateCommand", stateCommand, preset.stateCommand());
        if (state.usesFileSystem()) {
            throw new IllegalArgumentException("backend.stateCommand: " + CommandTemplate.FILE_SYSTEM
                    + " is for the recall command only");
        }
        CommandTemplate recall = template("backend.recallCommand", recallCommand, preset.recallCommand());
        StateRules rules = new StateRules(
                pattern("backend.onlinePattern", onlinePattern, preset.onlinePattern()),
                pattern("backend.offlinePattern", offlinePattern, preset.offlinePattern()),
                optionalPattern("backend.recallingPattern", recallingPattern, preset.recallingPattern()),
                optionalPattern("backend.lostPattern", lostPattern, preset.lostPattern()));

        MetricRegistry metrics = context.metrics();
        CommandRunner runner = new CommandRunner(environment, work);
        StateQuery states = new StateQuery(runner, state, parser(), rules, maxFilesPerStateQuery,
                commandTimeout.toJavaDuration(), metrics.counter("hsm.state.calls"));
        RecallSettings recallSettings = new RecallSettings(recall, fileSystemPaths, maxFilesPerRecall,
                pollInterval.toJavaDuration(), recallTimeout.toJavaDuration(), permanentRecallExitCodes);
        return new HsmBackend(new ArchiveFileCopier(rootPath, preserveModificationTime, bufferBytes), states, runner,
                recallSettings, metrics.counter("hsm.recall.calls"), metrics.counter("hsm.recall.files"),
                // a configured state command prints what it likes: only the classification can be read then
                new PresetLocality(stateCommand == null ? preset : HsmPreset.CUSTOM));
    }

    private StateOutputParser parser() {
        if (preset == HsmPreset.SAMQFS && statePattern == null) {
            return new SamQfsStateParser();
        }
        Pattern line = pattern("backend.statePattern", statePattern, preset.statePattern());
        for (String group : List.of("path", "state")) {
            if (!line.pattern().contains("(?<" + group + ">")) {
                throw new IllegalArgumentException("backend.statePattern: needs a named group (?<" + group + ">...)");
            }
        }
        return new LinePatternStateParser(line);
    }

    private void checkCommandOverrides() {
        List<String> known = preset.programs();
        for (String program : commands.keySet()) {
            if (!known.contains(program)) {
                throw new IllegalArgumentException("backend.commands." + program + ": preset " + preset.configName()
                        + (known.isEmpty() ? " runs no named programs; spell the commands out in stateCommand and recallCommand"
                        : " runs only " + String.join(", ", known)));
            }
        }
    }

    private CommandTemplate template(String key, List<String> configured, List<String> preset) {
        List<String> argv = configured != null ? configured : preset;
        if (argv == null) {
            throw new IllegalArgumentException(key + ": required with preset: custom");
        }
        try {
            // Overrides of program paths apply to the preset's commands, not to ones spelled out.
            CommandTemplate template = new CommandTemplate(argv);
            return configured != null ? template : template.withProgramsFrom(commands);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Pattern pattern(String key, String configured, String preset) {
        String regex = configured != null ? configured : preset;
        if (regex == null) {
            throw new IllegalArgumentException(key + ": required with preset: custom");
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(key + ": not a regular expression: " + e.getMessage(), e);
        }
    }

    private static Optional<Pattern> optionalPattern(String key, String configured, String preset) {
        String regex = configured != null ? configured : preset;
        return regex == null || regex.isEmpty() ? Optional.empty() : Optional.of(pattern(key, regex, null));
    }

    private static Path existingDirectory(String key, String directory) throws IOException {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        Path path = Path.of(directory);
        if (!Files.isDirectory(path)) {
            throw new IllegalArgumentException(key + ": " + path.toAbsolutePath() + " is not a directory");
        }
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException(key + ": " + path.toAbsolutePath() + " is not readable");
        }
        return path.toRealPath();
    }

    private static void requirePositive(String key, Duration duration) {
        if (duration == null || duration.toNanoseconds() <= 0) {
            throw new IllegalArgumentException(key + ": must be a positive duration such as 30s");
        }
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

    /** The archive root below the HSM mount; catalog locations are relative to it. */
    @JsonProperty
    public String getRoot() {
        return root;
    }

    @JsonProperty
    public void setRoot(String root) {
        this.root = root;
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

    @JsonProperty
    public List<String> getStateCommand() {
        return stateCommand;
    }

    @JsonProperty
    public void setStateCommand(List<String> stateCommand) {
        this.stateCommand = stateCommand;
    }

    @JsonProperty
    public String getStatePattern() {
        return statePattern;
    }

    @JsonProperty
    public void setStatePattern(String statePattern) {
        this.statePattern = statePattern;
    }

    @JsonProperty
    public String getOnlinePattern() {
        return onlinePattern;
    }

    @JsonProperty
    public void setOnlinePattern(String onlinePattern) {
        this.onlinePattern = onlinePattern;
    }

    @JsonProperty
    public String getOfflinePattern() {
        return offlinePattern;
    }

    @JsonProperty
    public void setOfflinePattern(String offlinePattern) {
        this.offlinePattern = offlinePattern;
    }

    @JsonProperty
    public String getRecallingPattern() {
        return recallingPattern;
    }

    @JsonProperty
    public void setRecallingPattern(String recallingPattern) {
        this.recallingPattern = recallingPattern;
    }

    @JsonProperty
    public String getLostPattern() {
        return lostPattern;
    }

    @JsonProperty
    public void setLostPattern(String lostPattern) {
        this.lostPattern = lostPattern;
    }

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

    @JsonProperty
    public Duration getPollInterval() {
        return pollInterval;
    }

    @JsonProperty
    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    @JsonProperty
    public Duration getRecallTimeout() {
        return recallTimeout;
    }

    @JsonProperty
    public void setRecallTimeout(Duration recallTimeout) {
        this.recallTimeout = recallTimeout;
    }

    @JsonProperty
    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    @JsonProperty
    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    @JsonProperty
    public int getMaxFilesPerRecall() {
        return maxFilesPerRecall;
    }

    @JsonProperty
    public void setMaxFilesPerRecall(int maxFilesPerRecall) {
        this.maxFilesPerRecall = maxFilesPerRecall;
    }

    @JsonProperty
    public int getMaxFilesPerStateQuery() {
        return maxFilesPerStateQuery;
    }

    @JsonProperty
    public void setMaxFilesPerStateQuery(int maxFilesPerStateQuery) {
        this.maxFilesPerStateQuery = maxFilesPerStateQuery;
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

    @JsonProperty
    public boolean isPreserveModificationTime() {
        return preserveModificationTime;
    }

    @JsonProperty
    public void setPreserveModificationTime(boolean preserveModificationTime) {
        this.preserveModificationTime = preserveModificationTime;
    }

    @JsonProperty
    public int getBufferBytes() {
        return bufferBytes;
    }

    @JsonProperty
    public void setBufferBytes(int bufferBytes) {
        this.bufferBytes = bufferBytes;
    }
}
