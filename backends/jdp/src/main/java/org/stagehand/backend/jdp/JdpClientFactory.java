package org.stagehand.backend.jdp;

import com.fasterxml.jackson.annotation.JsonMerge;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.client.JerseyClientConfiguration;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
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
import java.util.function.UnaryOperator;
import org.stagehand.backend.BackendContext;
import org.stagehand.backend.support.DaemonThreads;
import org.stagehand.backend.support.ServiceEnvironment;

/**
 * The {@code jdp} backend's keys that say where the upstream is and how to talk to it (its URL and
 * resources, the credential, the restore body, the hosts it may redirect to, the HTTP client), and
 * the client they build. {@link JdpBackendFactory} extends it with the keys that pace the staging.
 *
 * <p>The credential is read from the environment variable named by {@code authTokenVariable} and
 * sent as {@code Authorization: <authScheme> <secret>}; it is never logged.
 */
public abstract class JdpClientFactory {

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
     * Dropwizard's HTTP client configuration, merged with this backend's defaults (60 s read and
     * 10 s connect timeouts, 30 s keep-alive, no gzip, no chunked bodies).
     */
    // Merge: a partial client section keeps this backend's defaults for the keys it omits.
    @Valid
    @NotNull
    @JsonMerge
    private JerseyClientConfiguration client = defaultClientConfiguration();

    static Map<String, Object> defaultRestoreFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("send_email", false);
        fields.put("api_version", "2");
        fields.put("include_private_data", 1);
        return fields;
    }

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

    /**
     * The upstream's client, its endpoints, credential and restore fields checked first.
     *
     * @param environment looks up environment variables (the credential's), {@link System#getenv(String)} but in tests
     * @throws IllegalArgumentException naming the key at fault
     */
    JdpClient upstream(BackendContext context, UnaryOperator<String> environment) {
        JdpEndpoints endpoints = JdpEndpoints.checked(baseUrl, restorePath, statusPath, downloadPath);
        AuthHeader auth = AuthHeader.fromEnvironment(authTokenVariable, authScheme, ServiceEnvironment.of(environment));
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
        return new JdpClient(jersey, builder.apacheClient(), jerseyExecutor, endpoints, auth,
                context.objectMapper(), options);
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
    public JerseyClientConfiguration getClient() {
        return client;
    }

    @JsonProperty
    public void setClient(JerseyClientConfiguration client) {
        this.client = client;
    }
}
