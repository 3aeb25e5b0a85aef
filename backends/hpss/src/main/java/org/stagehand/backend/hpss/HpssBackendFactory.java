package org.stagehand.backend.hpss;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.support.ConfiguredDirectories;
import org.stagehand.backend.support.Executables;
import org.stagehand.backend.support.ServiceEnvironment;
import org.stagehand.backend.support.StagingRootGuard;

/**
 * {@code backend: {type: hpss, archiveRoot: /home/p/project, ...}}: the archive is HPSS, reached
 * with the {@code hsi} client; a catalog entry's archive location is a path below
 * {@code archiveRoot}. Files are recalled in tape order, one {@code hsi} session per volume.
 *
 * <p>Secrets never go into this configuration: {@code hsiArguments} and {@code environment}
 * values may say {@code ${env:NAME}}, filled in from the service's environment when hsi starts,
 * and only the unexpanded form is ever logged.
 */
@JsonTypeName("hpss")
public class HpssBackendFactory implements ArchiveBackendFactory {

    @NotEmpty
    private String hsiPath = "hsi";

    @NotNull
    private List<String> hsiArguments = List.of();

    @NotNull
    private Map<String, String> environment = Map.of();

    @NotEmpty
    private String archiveRoot;

    @Min(1)
    @Max(64)
    private int maxSessions = 4;

    @Min(1)
    @Max(16)
    private int maxListingSessions = 1;

    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration batchWindow = Duration.seconds(10);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration listTimeout = Duration.minutes(5);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration fetchIdleTimeout = Duration.hours(1);

    @Min(1)
    @Max(5000)
    private int maxPathsPerListing = 200;

    @Min(200)
    @Max(1_000_000)
    private int maxCommandLineBytes = 2_900;

    private String commandDirectory;

    private String diskVolumePattern;

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration progressPollInterval = Duration.milliseconds(200);

    /** The {@code hsi} executable: a path, or a name looked up on {@code PATH}. */
    @JsonProperty
    public String getHsiPath() {
        return hsiPath;
    }

    @JsonProperty
    public void setHsiPath(String hsiPath) {
        this.hsiPath = hsiPath;
    }

    /** Extra arguments before the command, e.g. {@code [-A, keytab, -k, /etc/hpss.keytab, -l, svc]}. */
    @JsonProperty
    public List<String> getHsiArguments() {
        return hsiArguments;
    }

    @JsonProperty
    public void setHsiArguments(List<String> hsiArguments) {
        this.hsiArguments = hsiArguments;
    }

    /** Extra environment variables for hsi (e.g. {@code HPSS_NET_FAMILY}); values may say {@code ${env:NAME}}. */
    @JsonProperty
    public Map<String, String> getEnvironment() {
        return environment;
    }

    @JsonProperty
    public void setEnvironment(Map<String, String> environment) {
        this.environment = environment;
    }

    /**
     * How many {@code hsi ls -P} listings (locating new files, describing paths) may run at once,
     * besides the {@code maxSessions} recall sessions: a listing asks HPSS's metadata and takes no
     * drive, and counted with the recalls it would wait while every session reads, so that files
     * that could join a mounted volume were not located until a session ended.
     */
    @JsonProperty
    public int getMaxListingSessions() {
        return maxListingSessions;
    }

    @JsonProperty
    public void setMaxListingSessions(int maxListingSessions) {
        this.maxListingSessions = maxListingSessions;
    }

    /** Absolute HPSS directory that archive locations are relative to. */
    @JsonProperty
    public String getArchiveRoot() {
        return archiveRoot;
    }

    @JsonProperty
    public void setArchiveRoot(String archiveRoot) {
        this.archiveRoot = archiveRoot;
    }

    /**
     * How many hsi recall sessions may run at once: the tape drives this service may use (sites
     * cap sessions per user). {@code ls -P} listings are not counted here
     * ({@link #getMaxListingSessions}).
     */
    @JsonProperty
    public int getMaxSessions() {
        return maxSessions;
    }

    @JsonProperty
    public void setMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** How long to gather files after the first arrives before planning, so requests share mounts (zero or more). */
    @JsonProperty
    public Duration getBatchWindow() {
        return batchWindow;
    }

    @JsonProperty
    public void setBatchWindow(Duration batchWindow) {
        this.batchWindow = batchWindow;
    }

    /** How long one {@code hsi ls -P} call may take (more than zero). */
    @JsonProperty
    public Duration getListTimeout() {
        return listTimeout;
    }

    @JsonProperty
    public void setListTimeout(Duration listTimeout) {
        this.listTimeout = listTimeout;
    }

    /** How long a recall session may show no progress (mount waits included) before it is killed (more than zero). */
    @JsonProperty
    public Duration getFetchIdleTimeout() {
        return fetchIdleTimeout;
    }

    @JsonProperty
    public void setFetchIdleTimeout(Duration fetchIdleTimeout) {
        this.fetchIdleTimeout = fetchIdleTimeout;
    }

    /** How many paths one {@code ls -P} call names. */
    @JsonProperty
    public int getMaxPathsPerListing() {
        return maxPathsPerListing;
    }

    @JsonProperty
    public void setMaxPathsPerListing(int maxPathsPerListing) {
        this.maxPathsPerListing = maxPathsPerListing;
    }

    /**
     * The longest command line hsi is given, in bytes: the {@code ls -P} command, and each line of
     * a recall's command file. hsi refuses longer lines (public HPSS scripts cite about 3,000
     * bytes), so listings are split to stay under it, and a file whose {@code get} line alone
     * would be longer fails with a message naming this key.
     */
    @JsonProperty
    public int getMaxCommandLineBytes() {
        return maxCommandLineBytes;
    }

    @JsonProperty
    public void setMaxCommandLineBytes(int maxCommandLineBytes) {
        this.maxCommandLineBytes = maxCommandLineBytes;
    }

    /**
     * Where hsi command files go; default {@code <java.io.tmpdir>/stagehand-hpss}. At start-up the
     * {@code recall-<pid>-*.hsi} files of service processes that are gone are deleted, and hsi
     * sessions still reading them are ended.
     */
    @JsonProperty
    public String getCommandDirectory() {
        return commandDirectory;
    }

    @JsonProperty
    public void setCommandDirectory(String commandDirectory) {
        this.commandDirectory = commandDirectory;
    }

    /** A regular expression for {@code ls -P} volume labels that are disk-cache volumes, not tapes. */
    @JsonProperty
    public String getDiskVolumePattern() {
        return diskVolumePattern;
    }

    @JsonProperty
    public void setDiskVolumePattern(String diskVolumePattern) {
        this.diskVolumePattern = diskVolumePattern;
    }

    /** How often a running session's local files are checked for progress (more than zero). */
    @JsonProperty
    public Duration getProgressPollInterval() {
        return progressPollInterval;
    }

    @JsonProperty
    public void setProgressPollInterval(Duration progressPollInterval) {
        this.progressPollInterval = progressPollInterval;
    }

    @Override
    public ArchiveBackend build(BackendContext context) throws IOException {
        return build(context, System.getenv());
    }

    /** Builds with the given process environment standing in for the service's (for tests). */
    ArchiveBackend build(BackendContext context, Map<String, String> serviceVariables) throws IOException {
        ServiceEnvironment serviceEnvironment = ServiceEnvironment.of(serviceVariables);
        Path executable = Executables.require("backend.hsiPath", hsiPath, serviceEnvironment.path());
        Hsi hsi = new Hsi(executable, hsiArguments, new LinkedHashMap<>(environment), serviceEnvironment);
        String root = HpssPaths.normalizeRoot(archiveRoot);
        Path commands = ConfiguredDirectories.writable("backend.commandDirectory", commandDirectory == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "stagehand-hpss") : Path.of(commandDirectory));
        // a killed service leaves its command files, and maybe hsi sessions still reading them
        CommandFiles.sweep(commands);
        Optional<Pattern> diskPattern;
        try {
            diskPattern = diskVolumePattern == null || diskVolumePattern.isEmpty()
                    ? Optional.empty() : Optional.of(Pattern.compile(diskVolumePattern));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("backend.diskVolumePattern: not a regular expression: " + e.getDescription(), e);
        }
        // "in <command directory>/recall-<volume>-<pid>-<random>.hsi": the one command of a recall
        int recallCommandBytes = ("in " + commands.toAbsolutePath() + "/recall-").length() + 64;
        if (recallCommandBytes > maxCommandLineBytes) {
            throw new IllegalArgumentException("backend.commandDirectory: " + commands + " is too long for hsi's command line"
                    + " (backend.maxCommandLineBytes is " + maxCommandLineBytes + ")");
        }
        HpssSettings settings = new HpssSettings(root, maxSessions, maxListingSessions, batchWindow.toJavaDuration(),
                listTimeout.toJavaDuration(), fetchIdleTimeout.toJavaDuration(), maxPathsPerListing, maxCommandLineBytes,
                commands, diskPattern, progressPollInterval.toJavaDuration());
        return new HpssBackend(settings, hsi, context.metrics(), context.serviceName(), context.mounts(),
                new StagingRootGuard(context.stagingRoot()));
    }
}
