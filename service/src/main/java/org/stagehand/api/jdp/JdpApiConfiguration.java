package org.stagehand.api.jdp;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;

/** The {@code jdpApi:} section: the JDP-compatible door, for the DTS's JGI Data Portal client. */
public class JdpApiConfiguration {

    private boolean enabled = false;

    @NotEmpty
    private String secretsEnvironmentVariable = "STAGEHAND_JDP_SECRETS";

    @NotEmpty
    @Pattern(regexp = "/.*", message = "must be an absolute path such as /global/dna/dm_archive/")
    private String filePathPrefix = "/global/dna/dm_archive/";

    /**
     * Whether {@code POST /search/by_file_ids/}, {@code POST /request_archived_files/} and
     * {@code GET /request_archived_files/requests/<n>} are served at the root of the API port.
     */
    @JsonProperty
    public boolean isEnabled() {
        return enabled;
    }

    @JsonProperty
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The environment variable holding the accepted shared secrets, comma-separated: the DTS sends
     * {@code Authorization: Token <orcid>_<secret>}. The door does not start without one.
     */
    @JsonProperty
    public String getSecretsEnvironmentVariable() {
        return secretsEnvironmentVariable;
    }

    @JsonProperty
    public void setSecretsEnvironmentVariable(String secretsEnvironmentVariable) {
        this.secretsEnvironmentVariable = secretsEnvironmentVariable;
    }

    /**
     * What {@code file_path} starts with in search answers; the DTS removes it (its constant
     * {@code /global/dna/dm_archive/}) and joins {@code file_name}, giving the catalog path. Given
     * with or without its trailing slash.
     */
    @JsonProperty
    public String getFilePathPrefix() {
        return filePathPrefix;
    }

    @JsonProperty
    public void setFilePathPrefix(String filePathPrefix) {
        this.filePathPrefix = filePathPrefix;
    }

    /** The prefix with exactly one trailing slash. */
    String directoryPrefix() {
        return filePathPrefix.endsWith("/") ? filePathPrefix : filePathPrefix + "/";
    }
}
