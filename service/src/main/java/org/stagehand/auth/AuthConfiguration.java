package org.stagehand.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code auth:} section. When any token is configured, the DTS endpoints require
 * {@code Authorization: Bearer <token>}; with none, they are open (and the start-up log says so).
 */
public class AuthConfiguration {

    private String tokensEnvironmentVariable = "STAGEHAND_API_TOKENS";

    private List<String> tokenSha256 = new ArrayList<>();

    private String adminTokensEnvironmentVariable = "STAGEHAND_ADMIN_TOKENS";

    private List<String> adminTokenSha256 = new ArrayList<>();

    @Valid
    @NotNull
    private JwtConfiguration jwt = new JwtConfiguration();

    /** The environment variable holding accepted tokens, separated by commas. */
    @JsonProperty
    public String getTokensEnvironmentVariable() {
        return tokensEnvironmentVariable;
    }

    @JsonProperty
    public void setTokensEnvironmentVariable(String tokensEnvironmentVariable) {
        this.tokensEnvironmentVariable = tokensEnvironmentVariable;
    }

    /** Accepted tokens given by the hex SHA-256 of each, so the configuration holds no secret. */
    @JsonProperty
    public List<String> getTokenSha256() {
        return tokenSha256;
    }

    @JsonProperty
    public void setTokenSha256(List<String> tokenSha256) {
        this.tokenSha256 = tokenSha256 == null ? new ArrayList<>() : tokenSha256;
    }

    /** The environment variable holding accepted admin tokens, separated by commas. */
    @JsonProperty
    public String getAdminTokensEnvironmentVariable() {
        return adminTokensEnvironmentVariable;
    }

    @JsonProperty
    public void setAdminTokensEnvironmentVariable(String adminTokensEnvironmentVariable) {
        this.adminTokensEnvironmentVariable = adminTokensEnvironmentVariable;
    }

    /**
     * Accepted admin tokens, by the hex SHA-256 of each. With any admin token configured, admin tasks
     * need {@code Authorization: Bearer <admin token>}; with none, only the loopback bind guards them.
     * API tokens never open the admin port.
     */
    @JsonProperty
    public List<String> getAdminTokenSha256() {
        return adminTokenSha256;
    }

    @JsonProperty
    public void setAdminTokenSha256(List<String> adminTokenSha256) {
        this.adminTokenSha256 = adminTokenSha256 == null ? new ArrayList<>() : adminTokenSha256;
    }

    /** WLCG tokens accepted by the Tape REST door and the data door. */
    @JsonProperty
    public JwtConfiguration getJwt() {
        return jwt;
    }

    @JsonProperty
    public void setJwt(JwtConfiguration jwt) {
        this.jwt = jwt;
    }
}
