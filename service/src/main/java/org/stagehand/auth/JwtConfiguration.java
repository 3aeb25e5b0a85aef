package org.stagehand.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code auth.jwt:} section: WLCG tokens (JWTs of the WLCG common JWT profile) accepted by the
 * Tape REST door and the data door, besides the hashed bearer tokens. Unset {@code jwksFile}: none.
 */
public class JwtConfiguration {

    private String jwksFile;

    private List<String> issuers = new ArrayList<>();

    private List<String> audiences = new ArrayList<>();

    /**
     * A JSON Web Key Set file (the issuers' public keys, as their {@code jwks_uri} serves them):
     * a token's signature must verify against one of its keys. Read at start-up.
     */
    @JsonProperty
    public Optional<String> getJwksFile() {
        return Optional.ofNullable(jwksFile);
    }

    @JsonProperty
    public void setJwksFile(String jwksFile) {
        this.jwksFile = jwksFile == null || jwksFile.isBlank() ? null : jwksFile;
    }

    /** The accepted {@code iss} values (exact match); required when {@code jwksFile} is set. */
    @JsonProperty
    public List<String> getIssuers() {
        return issuers;
    }

    @JsonProperty
    public void setIssuers(List<String> issuers) {
        this.issuers = issuers == null ? new ArrayList<>() : issuers;
    }

    /**
     * The accepted {@code aud} values: a token must name one of them (e.g. this service's URL, or
     * the profile's {@code https://wlcg.cern.ch/jwt/v1/any}); required when {@code jwksFile} is set.
     */
    @JsonProperty
    public List<String> getAudiences() {
        return audiences;
    }

    @JsonProperty
    public void setAudiences(List<String> audiences) {
        this.audiences = audiences == null ? new ArrayList<>() : audiences;
    }
}
