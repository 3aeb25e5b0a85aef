package org.stagehand.api.tape;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The {@code tapeRest:} section: the WLCG Tape REST API v1 door, through which FTS, Rucio and
 * gfal2 stage files by path. Every key is described in {@code docs/configuration.md}.
 */
public class TapeRestConfiguration {

    private boolean enabled = false;

    @NotBlank
    private String sitename = "stagehand";

    @NotBlank
    @Pattern(regexp = "/(.*/)?", message = "must start and end with '/', e.g. /archive/")
    private String pathPrefix = "/archive/";

    @Min(1)
    @Max(100_000)
    private int maxFilesPerRequest = 1000;

    @Min(1)
    private int maxUnfinishedRequestsPerClient = 5000;

    private boolean resolveUnknownPaths = false;

    /** Whether the door is served: {@code /.well-known/wlcg-tape-rest-api} and {@code /api/v1/...}. */
    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The site's name in the well-known document; clients' {@code targetedMetadata} is accepted
     * under it and under {@code default}.
     */
    @JsonProperty
    public String getSitename() {
        return sitename;
    }

    @JsonProperty
    public void setSitename(String sitename) {
        this.sitename = sitename;
    }

    /**
     * The URL path below which catalog files are named: the file whose catalog {@code path} is P is
     * {@code pathPrefix + P} in this API and in the data door. Starts and ends with {@code /}.
     */
    @JsonProperty
    public String getPathPrefix() {
        return pathPrefix;
    }

    @JsonProperty
    public void setPathPrefix(String pathPrefix) {
        this.pathPrefix = pathPrefix;
    }

    /** The most distinct paths in one stage request; more answer 413. FTS sends up to 1,000. */
    @JsonProperty
    public int getMaxFilesPerRequest() {
        return maxFilesPerRequest;
    }

    @JsonProperty
    public void setMaxFilesPerRequest(int maxFilesPerRequest) {
        this.maxFilesPerRequest = maxFilesPerRequest;
    }

    /**
     * The most unfinished (not cancelled, some file still to come) stage requests one client may
     * have; a stage request beyond answers 429. A client is a token's name, or {@code anonymous}.
     */
    @JsonProperty
    public int getMaxUnfinishedRequestsPerClient() {
        return maxUnfinishedRequestsPerClient;
    }

    @JsonProperty
    public void setMaxUnfinishedRequestsPerClient(int maxUnfinishedRequestsPerClient) {
        this.maxUnfinishedRequestsPerClient = maxUnfinishedRequestsPerClient;
    }

    /**
     * Whether a path that is not in the catalog is looked up in the archive through the backend
     * (which must be able to describe paths: POSIX can), and staged when a file is there, as WLCG
     * sites work with no catalog import. Off: such a path fails.
     */
    @JsonProperty
    public boolean isResolveUnknownPaths() {
        return resolveUnknownPaths;
    }

    @JsonProperty
    public void setResolveUnknownPaths(boolean resolveUnknownPaths) {
        this.resolveUnknownPaths = resolveUnknownPaths;
    }
}
