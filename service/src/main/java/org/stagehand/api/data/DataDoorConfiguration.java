package org.stagehand.api.data;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code dataDoor:} section: read-only HTTP access ({@code GET} with {@code Range},
 * {@code HEAD}, {@code PROPFIND Depth: 0}) to verified staged copies under
 * {@code tapeRest.pathPrefix}, so that gfal2 and FTS can stat, checksum and copy a file right after
 * staging it.
 */
public class DataDoorConfiguration {

    private boolean enabled = false;

    /** Whether staged copies are served below {@code tapeRest.pathPrefix}. */
    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
