package org.stagehand.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.Optional;
import org.stagehand.api.PublicUrls;
import org.stagehand.api.data.DataDoorConfiguration;
import org.stagehand.api.jdp.JdpApiConfiguration;
import org.stagehand.api.tape.TapeRestConfiguration;
import org.stagehand.auth.AuthConfiguration;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.catalog.CatalogConfiguration;
import org.stagehand.http.HttpLimitsConfiguration;
import org.stagehand.lifecycle.LifecycleConfiguration;
import org.stagehand.requests.StagingConfiguration;
import org.stagehand.work.WorkConfiguration;

/** The whole of {@code config.yml}. Every key is documented in {@code docs/configuration.md}. */
public class StagehandConfiguration extends Configuration {

    @Valid
    @NotNull
    private DataSourceFactory database = new DataSourceFactory();

    private boolean autoMigrate = false;

    @Valid
    @NotNull
    private StagingConfiguration staging = new StagingConfiguration();

    @Valid
    @NotNull
    private WorkConfiguration work = new WorkConfiguration();

    @Valid
    @NotNull
    private CatalogConfiguration catalog = new CatalogConfiguration();

    @Valid
    @NotNull
    private AuthConfiguration auth = new AuthConfiguration();

    @Valid
    @NotNull
    private LifecycleConfiguration lifecycle = new LifecycleConfiguration();

    @Valid
    @NotNull
    private ArchiveBackendFactory backend;

    @Valid
    @NotNull
    private JdpApiConfiguration jdpApi = new JdpApiConfiguration();

    private String publicBaseUrl;

    @Valid
    @NotNull
    private TapeRestConfiguration tapeRest = new TapeRestConfiguration();

    @Valid
    @NotNull
    private DataDoorConfiguration dataDoor = new DataDoorConfiguration();

    @Valid
    @NotNull
    private HttpLimitsConfiguration http = new HttpLimitsConfiguration();

    @JsonProperty
    public DataSourceFactory getDatabase() {
        return database;
    }

    @JsonProperty
    public void setDatabase(DataSourceFactory database) {
        this.database = database;
    }

    /** Whether the schema is migrated at start-up; otherwise run {@code db migrate} first. */
    @JsonProperty
    public boolean isAutoMigrate() {
        return autoMigrate;
    }

    @JsonProperty
    public void setAutoMigrate(boolean autoMigrate) {
        this.autoMigrate = autoMigrate;
    }

    @JsonProperty
    public StagingConfiguration getStaging() {
        return staging;
    }

    @JsonProperty
    public void setStaging(StagingConfiguration staging) {
        this.staging = staging;
    }

    @JsonProperty
    public WorkConfiguration getWork() {
        return work;
    }

    @JsonProperty
    public void setWork(WorkConfiguration work) {
        this.work = work;
    }

    @JsonProperty
    public CatalogConfiguration getCatalog() {
        return catalog;
    }

    @JsonProperty
    public void setCatalog(CatalogConfiguration catalog) {
        this.catalog = catalog;
    }

    @JsonProperty
    public LifecycleConfiguration getLifecycle() {
        return lifecycle;
    }

    @JsonProperty
    public void setLifecycle(LifecycleConfiguration lifecycle) {
        this.lifecycle = lifecycle;
    }

    @JsonProperty
    public AuthConfiguration getAuth() {
        return auth;
    }

    @JsonProperty
    public void setAuth(AuthConfiguration auth) {
        this.auth = auth;
    }

    @JsonProperty
    public HttpLimitsConfiguration getHttp() {
        return http;
    }

    @JsonProperty
    public void setHttp(HttpLimitsConfiguration http) {
        this.http = http;
    }

    @JsonProperty
    public ArchiveBackendFactory getBackend() {
        return backend;
    }

    @JsonProperty
    public void setBackend(ArchiveBackendFactory backend) {
        this.backend = backend;
    }

    /**
     * The absolute http(s) URL at which clients reach the service's root, e.g. through a proxy
     * ({@code https://stagehand.example.org/}). When set, every URL the service hands out (a 201's
     * {@code Location}) starts with it; when unset, with the scheme and {@code Host} of the request.
     */
    @JsonProperty
    public Optional<String> getPublicBaseUrl() {
        return Optional.ofNullable(publicBaseUrl);
    }

    @JsonProperty
    public void setPublicBaseUrl(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl == null || publicBaseUrl.isBlank() ? null : publicBaseUrl.trim();
    }

    @JsonIgnore
    @ValidationMethod(message = "publicBaseUrl must be an absolute http or https URL without query or fragment,"
            + " e.g. https://stagehand.example.org/")
    public boolean isPublicBaseUrlAbsolute() {
        return publicBaseUrl == null || PublicUrls.isValidBaseUrl(publicBaseUrl);
    }

    /** The service's public URLs, built from {@link #getPublicBaseUrl()} when set. */
    @JsonIgnore
    public PublicUrls publicUrls() {
        return new PublicUrls(getPublicBaseUrl().map(URI::create));
    }

    /** The WLCG Tape REST API door. */
    @JsonProperty
    public TapeRestConfiguration getTapeRest() {
        return tapeRest;
    }

    @JsonProperty
    public void setTapeRest(TapeRestConfiguration tapeRest) {
        this.tapeRest = tapeRest;
    }

    /** Read-only HTTP access to staged copies, under {@code tapeRest.pathPrefix}. */
    @JsonProperty
    public DataDoorConfiguration getDataDoor() {
        return dataDoor;
    }

    @JsonProperty
    public void setDataDoor(DataDoorConfiguration dataDoor) {
        this.dataDoor = dataDoor;
    }

    /** The JDP-compatible door for the DTS's JGI Data Portal client; off unless enabled. */
    @JsonProperty
    public JdpApiConfiguration getJdpApi() {
        return jdpApi;
    }

    @JsonProperty
    public void setJdpApi(JdpApiConfiguration jdpApi) {
        this.jdpApi = jdpApi;
    }
}
