package org.stagehand.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.Base64URL;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stagehand.testing.TestTokens;

class WlcgTokenVerifierTest {

    @TempDir
    Path directory;

    private final TestTokens issuer = TestTokens.issuer("key-1");
    private WlcgTokenVerifier verifier;

    @BeforeEach
    void configure() throws Exception {
        JwtConfiguration config = new JwtConfiguration();
        config.setJwksFile(issuer.writeKeySet(directory.resolve("jwks.json")).toString());
        config.setIssuers(List.of(TestTokens.ISSUER));
        config.setAudiences(List.of(TestTokens.AUDIENCE, "https://wlcg.cern.ch/jwt/v1/any"));
        verifier = WlcgTokenVerifier.from(config).orElseThrow();
    }

    @Test
    void aValidTokenGivesItsStorageScopesAndIgnoresOthers() {
        WlcgClient client = verifier.verify(issuer.token("openid storage.stage:/genomes storage.read:/")).orElseThrow();

        assertThat(client.name()).isEqualTo("jwt:" + TestTokens.ISSUER + "#user-1");
        assertThat(client.scopes()).containsExactly(new StorageScope("storage.stage", "/genomes"),
                new StorageScope("storage.read", "/"));
        assertThat(client.allows("storage.stage", "/genomes/a.fa")).isTrue();
        assertThat(client.allows("storage.stage", "/genomesX/a.fa")).isFalse();
        assertThat(client.allows("storage.read", "/anything")).isTrue();
        assertThat(client.allows("storage.modify", "/genomes/a.fa")).isFalse();
    }

    @Test
    void theProfilesAnyAudienceIsAcceptedWhenConfigured() {
        assertThat(verifier.verify(issuer.token(TestTokens.ISSUER, "https://wlcg.cern.ch/jwt/v1/any", "storage.stage:/",
                Instant.now().plusSeconds(600)))).isPresent();
    }

    @Test
    void anExpiredTokenIsRefused() {
        assertThat(verifier.verify(issuer.token(TestTokens.ISSUER, TestTokens.AUDIENCE, "storage.stage:/",
                Instant.now().minus(Duration.ofMinutes(5))))).isEmpty();
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedEvenWithTheSameKeyId() {
        TestTokens impostor = TestTokens.issuer("key-1");

        assertThat(verifier.verify(impostor.token("storage.stage:/"))).isEmpty();
    }

    @Test
    void aTokenWhoseClaimsWereChangedAfterSigningIsRefused() {
        String[] parts = issuer.token("storage.stage:/genomes").split("\\.");
        String forged = Base64URL.encode(Base64URL.from(parts[1]).decodeToString()
                .replace("storage.stage:/genomes", "storage.stage:/")).toString();

        assertThat(verifier.verify(parts[0] + "." + forged + "." + parts[2])).isEmpty();
    }

    @Test
    void anUnsignedTokenIsRefused() {
        String[] parts = issuer.token("storage.stage:/").split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\"}").toString();

        assertThat(verifier.verify(none + "." + parts[1] + ".")).isEmpty();
    }

    @Test
    void aTokenForAnotherAudienceOrFromAnotherIssuerIsRefused() {
        Instant later = Instant.now().plusSeconds(600);

        assertThat(verifier.verify(issuer.token(TestTokens.ISSUER, "https://other.example.org", "storage.stage:/", later))).isEmpty();
        assertThat(verifier.verify(issuer.token("https://evil.example.org/", TestTokens.AUDIENCE, "storage.stage:/", later))).isEmpty();
    }

    @Test
    void aKeySetThatCannotBeReadNamesTheKey() {
        JwtConfiguration config = new JwtConfiguration();
        config.setJwksFile(directory.resolve("missing.json").toString());
        config.setIssuers(List.of(TestTokens.ISSUER));
        config.setAudiences(List.of(TestTokens.AUDIENCE));

        assertThatThrownBy(() -> WlcgTokenVerifier.from(config)).hasMessageContaining("auth.jwt.jwksFile");
    }
}
