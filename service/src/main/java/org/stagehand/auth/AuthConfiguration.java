package org.stagehand.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code auth:} section. When any token is configured, the DTS endpoints require
 * {@code Authorization: Bearer <token>}; with none, they are open (and the start-up log says so).
 */
public class AuthConfiguration {

    private String tokensEnvironmentVariable = "STAGEHAND_API_TOKENS";

    private List<String> tokenSha256 = new ArrayList<>();

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
}
