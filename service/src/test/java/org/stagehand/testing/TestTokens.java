package org.stagehand.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** A WLCG token issuer for tests: its key set on disk, and tokens it signs. */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.example.org/";
    public static final String AUDIENCE = "https://stagehand.example.org";

    private final RSAKey key;

    private TestTokens(RSAKey key) {
        this.key = key;
    }

    /** A new issuer with a fresh RSA key. */
    public static TestTokens issuer(String keyId) {
        try {
            return new TestTokens(new RSAKeyGenerator(2048).keyID(keyId).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the issuer's public key set (what its jwks_uri serves) and returns the file. */
    public Path writeKeySet(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, new JWKSet(key.toPublicJWK()).toString());
        return file;
    }

    /** A token of the configured issuer and audience, valid for an hour, with these scopes. */
    public String token(String scope) {
        return token(ISSUER, AUDIENCE, scope, Instant.now().plus(Duration.ofHours(1)));
    }

    public String token(String issuer, String audience, String scope, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject("user-1").audience(audience)
                .claim("scope", scope).claim("wlcg.ver", "1.0").issueTime(new Date())
                .expirationTime(Date.from(expires)).jwtID(java.util.UUID.randomUUID().toString()).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
