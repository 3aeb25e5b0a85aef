package org.stagehand.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.core.Configuration;
import io.dropwizard.db.DataSourceFactory;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.stagehand.auth.AuthConfiguration;
import org.stagehand.backend.ArchiveBackendFactory;
import org.stagehand.catalog.CatalogConfiguration;
import org.stagehand.lifecycle.LifecycleConfiguration;
import org.stagehand.staging.StagingConfiguration;
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
    public ArchiveBackendFactory getBackend() {
        return backend;
    }

    @JsonProperty
    public void setBackend(ArchiveBackendFactory backend) {
        this.backend = backend;
    }
}
