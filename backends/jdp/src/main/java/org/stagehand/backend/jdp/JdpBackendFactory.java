package org.stagehand.backend.jdp;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;

/**
 * {@code backend: {type: jdp, baseUrl: https://archive.example.org/, ...}}: the archive is a
 * JDP-style HTTP service with its own restore API. A catalog entry's archive location is the
 * upstream file ID. Each batch is restored with one upstream request (per {@code maxIdsPerRestore}
 * IDs), polled until ready, then downloaded file by file.
 *
 * <p>The keys that reach the upstream (its URL, resources and credential, the HTTP client) are
 * {@link JdpClientFactory}'s; those here pace the restores and downloads.
 */
@JsonTypeName("jdp")
public class JdpBackendFactory extends JdpClientFactory implements ArchiveBackendFactory {

    /** Time between two status requests for one upstream restore request. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration pollInterval = Duration.seconds(60);

    /** Most file IDs in one upstream restore request; a larger batch gets several (the JDP takes 750). */
    @Min(1)
    @Max(100_000)
    private int maxIdsPerRestore = 750;

    /** Downloads running at once, all batches together. */
    @Min(1)
    @Max(256)
    private int concurrentDownloads = 4;

    /** How long each file may wait for its restore, from its first restore request; then it alone fails. */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    private Duration maxRestoreWait = Duration.hours(24);

    /** Download attempts for one file within one staging attempt. */
    @Min(1)
    @Max(100)
    private int maxDownloadAttempts = 4;

    /** The first wait after a transient download error; doubles each time. */
    @NotNull
    private Duration retryBackoff = Duration.seconds(2);

    /** The longest wait spent holding a worker; a longer Retry-After hands the file back to the service. */
    @NotNull
    private Duration maxRetryWait = Duration.minutes(1);

    /** Read buffer per download. */
    @Min(4096)
    @Max(64 << 20)
    private int bufferBytes = 256 << 10;

    /**
     * How long a restore request may keep answering a status word the backend does not know (neither
     * new, pending, ready, expired, nor failed/error/cancelled) before its files fail with that word.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration unknownStatusGrace = Duration.minutes(5);

    @Override
    public ArchiveBackend build(BackendContext context) {
        return build(context, System::getenv);
    }

    /** Builds with {@code environment} in place of {@link System#getenv(String)}, for tests. */
    JdpBackend build(BackendContext context, UnaryOperator<String> environment) {
        if (maxRetryWait.toMilliseconds() < retryBackoff.toMilliseconds()) {
            throw new IllegalArgumentException("backend.maxRetryWait (" + maxRetryWait
                    + ") must not be shorter than backend.retryBackoff (" + retryBackoff + ")");
        }
        JdpClient upstream = upstream(context, environment);
        JdpSettings settings = new JdpSettings(
                java.time.Duration.ofMillis(pollInterval.toMilliseconds()),
                maxIdsPerRestore,
                concurrentDownloads,
                java.time.Duration.ofMillis(maxRestoreWait.toMilliseconds()),
                maxDownloadAttempts,
                java.time.Duration.ofMillis(retryBackoff.toMilliseconds()),
                java.time.Duration.ofMillis(maxRetryWait.toMilliseconds()),
                bufferBytes,
                getAuthTokenVariable(),
                java.time.Duration.ofMillis(unknownStatusGrace.toMilliseconds()));
        return new JdpBackend(upstream, settings, context.serviceName(), context.metrics());
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
    public int getMaxIdsPerRestore() {
        return maxIdsPerRestore;
    }

    @JsonProperty
    public void setMaxIdsPerRestore(int maxIdsPerRestore) {
        this.maxIdsPerRestore = maxIdsPerRestore;
    }

    @JsonProperty
    public int getConcurrentDownloads() {
        return concurrentDownloads;
    }

    @JsonProperty
    public void setConcurrentDownloads(int concurrentDownloads) {
        this.concurrentDownloads = concurrentDownloads;
    }

    @JsonProperty
    public Duration getMaxRestoreWait() {
        return maxRestoreWait;
    }

    @JsonProperty
    public void setMaxRestoreWait(Duration maxRestoreWait) {
        this.maxRestoreWait = maxRestoreWait;
    }

    @JsonProperty
    public int getMaxDownloadAttempts() {
        return maxDownloadAttempts;
    }

    @JsonProperty
    public void setMaxDownloadAttempts(int maxDownloadAttempts) {
        this.maxDownloadAttempts = maxDownloadAttempts;
    }

    @JsonProperty
    public Duration getRetryBackoff() {
        return retryBackoff;
    }

    @JsonProperty
    public void setRetryBackoff(Duration retryBackoff) {
        this.retryBackoff = retryBackoff;
    }

    @JsonProperty
    public Duration getMaxRetryWait() {
        return maxRetryWait;
    }

    @JsonProperty
    public void setMaxRetryWait(Duration maxRetryWait) {
        this.maxRetryWait = maxRetryWait;
    }

    @JsonProperty
    public int getBufferBytes() {
        return bufferBytes;
    }

    @JsonProperty
    public void setBufferBytes(int bufferBytes) {
        this.bufferBytes = bufferBytes;
    }

    @JsonProperty
    public Duration getUnknownStatusGrace() {
        return unknownStatusGrace;
    }

    @JsonProperty
    public void setUnknownStatusGrace(Duration unknownStatusGrace) {
        this.unknownStatusGrace = unknownStatusGrace;
    }
}
