package org.stagehand.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Optional;

/** The {@code catalog:} section. */
public class CatalogConfiguration {

    private String importAtStartup;

    /** A Frictionless data package or CSV file imported (upserted) every time the service starts. */
    @JsonProperty
    public Optional<String> getImportAtStartup() {
        return Optional.ofNullable(importAtStartup).filter(path -> !path.isBlank());
    }

    @JsonProperty
    public void setImportAtStartup(String importAtStartup) {
        this.importAtStartup = importAtStartup;
    }
}
