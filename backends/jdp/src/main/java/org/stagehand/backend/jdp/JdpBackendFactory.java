package org.stagehand.backend.jdp;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.client.Client;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.stagehand.backend.ArchiveBackend;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.support.DaemonThreads;
import org.stagehand.backend.support.ServiceEnvironment;

/**
 * {@code backend: {type: jdp, baseUrl: https://archive.example.org/, ...}}: the archive is a
 * JDP-style HTTP service with its own restore API. A catalog entry's archive location is the
 * upstream file ID. Each batch is restored with one upstream request (per {@code maxIdsPerRestore}
 * IDs), polled until ready, then downloaded file by file.
 *
 * <p>The credential is read from the environment variable named by {@code authTokenVariable} and
 * sent as {@code Authorization: <authScheme> <secret>}; it is never logged.
 */
@JsonTypeName("jdp")
public class JdpBackendFactory implements ArchiveBackendFactory {

    /** The upstream's base URL (http or https); the paths below are relative to it. Required. */
    @NotNull
    private URI baseUrl;

    /** The environment variable holding the secret, read once at start-up; null or empty: send no Authorization header. */
    private String authTokenVariable = "JDP_TOKEN";

    /** The Authorization scheme put before the secret ({@code Token} for the JDP); empty: the secret alone. */
    @NotNull
    private String authScheme = "Token";

    /** The restore resource (POST), relative to the base URL; the JDP needs the trailing slash. */
    @NotEmpty
    private String restorePath = "request_archived_files/";

    /** The status resource (GET); {@code {id}} is the upstream request ID. */
    @NotEmpty
    private String statusPath = "request_archived_files/requests/{id}";

    /** The download resource (GET); {@code {id}} is the file ID, URL-encoded. */
    @NotEmpty
    private String downloadPath = "download_files/{id}/";

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
     * Fields of every restore request's JSON body besides {@code ids}, sent as given. The default is
     * what the DTS sends: {@code send_email: false, api_version: "2", include_private_data: 1} (without
     * {@code include_private_data} the JDP leaves private files on tape). Setting the key replaces the
     * whole map, so list every field wanted.
     */
    @NotNull
    private Map<String, Object> restoreFields = defaultRestoreFields();

    /**
     * Hosts ({@code host}, or {@code host:port} for one port) that a download or status request may be
     * redirected to. They never receive the credential. A redirect to any other host than the
     * base URL's fails the file at once, naming the host and this key.
     */
    @NotNull
    private List<@NotEmpty String> redirectHosts = new ArrayList<>();

    /** Whether status requests carry the Authorization header; the DTS sends none there, nor does the default. */
    private boolean sendCredentialWithStatus;

    /** Whether the health check's request for the base URL carries the Authorization header (default: no). */
    private boolean sendCredentialWithHealthCheck;

    /**
     * How long a restore request may keep answering a status word the backend does not know (neither
     * new, pending, ready, expired, nor failed/error/cancelled) before its files fail with that word.
     */
    @NotNull
    @MinDuration(value = 0, unit = TimeUnit.MILLISECONDS)
    private Duration unknownStatusGrace = Duration.minutes(5);

    static Map<String, Object> defaultRestoreFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("send_email", false);
        fields.put("api_version", "2");
        fields.put("include_private_data", 1);
        return fields;
    }

    /**
     * Dropwizard's HTTP client configuration, merged with this backend's defaults (60 s read and
     * 10 s connect timeouts, 30 s keep-alive, no gzip, no chunked bodies).
     */
    // Merge: a partial client section keeps this backend's defaults for the keys it omits.
    @Valid
    @NotNull
    @JsonMerge
    private JerseyClientConfiguration client = defaultClientConfiguration();

    /** Dropwizard's client defaults (500 ms timeouts, gzip) do not suit long downloads. */
    static JerseyClientConfiguration defaultClientConfiguration() {
        JerseyClientConfiguration configuration = new JerseyClientConfiguration();
        configuration.setTimeout(Duration.seconds(60));
        configuration.setConnectionTimeout(Duration.seconds(10));
        configuration.setConnectionRequestTimeout(Duration.seconds(60));
        // Dropwizard's 0 closes every connection after one request; reuse them between files.
        configuration.setKeepAlive(Duration.seconds(30));
        // Range arithmetic needs the bytes as stored, not a compressed rendition.
        configuration.setGzipEnabled(false);
        configuration.setGzipEnabledForRequests(false);
        // Restore bodies are small; a Content-Length suits more servers than chunked uploads.
        configuration.setChunkedEncodingEnabled(false);
        return configuration;
    }

    @Override
    public ArchiveBackend build(BackendContext context) {
        return build(context, System::getenv);
    }

    /** Builds with {@code environment} in place of {@link System#getenv(String)}, for tests. */
    JdpBackend build(BackendContext context, UnaryOperator<String> environment) {
        JdpEndpoints endpoints = JdpEndpoints.checked(baseUrl, restorePath, statusPath, downloadPath);
        AuthHeader auth = AuthHeader.fromEnvironment(authTokenVariable, authScheme, ServiceEnvironment.of(environment));
        if (maxRetryWait.toMilliseconds() < retryBackoff.toMilliseconds()) {
            throw new IllegalArgumentException("backend.maxRetryWait (" + maxRetryWait
                    + ") must not be shorter than backend.retryBackoff (" + retryBackoff + ")");
        }
        if (restoreFields.containsKey("ids")) {
            throw new IllegalArgumentException("backend.restoreFields must not hold 'ids': the backend sets it");
        }
        ExecutorService jerseyExecutor = Executors.newSingleThreadExecutor(
                new DaemonThreads(context.serviceName() + "-jdp-jersey"));
        PoolReleasingClientBuilder builder = new PoolReleasingClientBuilder(context.metrics());
        Client jersey = builder.using(client).using(jerseyExecutor, context.objectMapper()).build("jdp");
        JdpClient.Options options = new JdpClient.Options(context.objectMapper().valueToTree(restoreFields),
                new Redirects(endpoints.baseUrl(), redirectHosts), sendCredentialWithStatus,
                sendCredentialWithHealthCheck);
        JdpClient upstream = new JdpClient(jersey, builder.apacheClient(), jerseyExecutor, endpoints, auth,
                context.objectMapper(), options);
        JdpSettings settings = new JdpSettings(
                java.time.Duration.ofMillis(pollInterval.toMilliseconds()),
                maxIdsPerRestore,
                concurrentDownloads,
                java.time.Duration.ofMillis(maxRestoreWait.toMilliseconds()),
                maxDownloadAttempts,
                java.time.Duration.ofMillis(retryBackoff.toMilliseconds()),
                java.time.Duration.ofMillis(maxRetryWait.toMilliseconds()),
                bufferBytes,
                authTokenVariable,
                java.time.Duration.ofMillis(unknownStatusGrace.toMilliseconds()));
        return new JdpBackend(upstream, settings, context.serviceName(), context.metrics());
    }

    @JsonProperty
    public URI getBaseUrl() {
        return baseUrl;
    }

    @JsonProperty
    public void setBaseUrl(URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    @JsonProperty
    public String getAuthTokenVariable() {
        return authTokenVariable;
    }

    @JsonProperty
    public void setAuthTokenVariable(String authTokenVariable) {
        this.authTokenVariable = authTokenVariable;
    }

    @JsonProperty
    public String getAuthScheme() {
        return authScheme;
    }

    @JsonProperty
    public void setAuthScheme(String authScheme) {
        this.authScheme = authScheme;
    }

    @JsonProperty
    public String getRestorePath() {
        return restorePath;
    }

    @JsonProperty
    public void setRestorePath(String restorePath) {
        this.restorePath = restorePath;
    }

    @JsonProperty
    public String getStatusPath() {
        return statusPath;
    }

    @JsonProperty
    public void setStatusPath(String statusPath) {
        this.statusPath = statusPath;
    }

    @JsonProperty
    public String getDownloadPath() {
        return downloadPath;
    }

    @JsonProperty
    public void setDownloadPath(String downloadPath) {
        this.downloadPath = downloadPath;
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
    public JerseyClientConfiguration getClient() {
        return client;
    }

    @JsonProperty
    public void setClient(JerseyClientConfiguration client) {
        this.client = client;
    }

    @JsonProperty
    public Map<String, Object> getRestoreFields() {
        return restoreFields;
    }

    @JsonProperty
    public void setRestoreFields(Map<String, Object> restoreFields) {
        this.restoreFields = restoreFields;
    }

    @JsonProperty
    public List<String> getRedirectHosts() {
        return redirectHosts;
    }

    @JsonProperty
    public void setRedirectHosts(List<String> redirectHosts) {
        this.redirectHosts = redirectHosts;
    }

    @JsonProperty
    public boolean isSendCredentialWithStatus() {
        return sendCredentialWithStatus;
    }

    @JsonProperty
    public void setSendCredentialWithStatus(boolean sendCredentialWithStatus) {
        this.sendCredentialWithStatus = sendCredentialWithStatus;
    }

    @JsonProperty
    public boolean isSendCredentialWithHealthCheck() {
        return sendCredentialWithHealthCheck;
    }

    @JsonProperty
    public void setSendCredentialWithHealthCheck(boolean sendCredentialWithHealthCheck) {
        this.sendCredentialWithHealthCheck = sendCredentialWithHealthCheck;
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
