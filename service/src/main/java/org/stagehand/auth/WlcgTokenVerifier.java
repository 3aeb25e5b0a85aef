package org.stagehand.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies WLCG tokens: the signature against the configured key set (RSA or EC, as WLCG issuers
 * sign), {@code exp} (and {@code nbf}, a minute of clock skew allowed), {@code aud} against the
 * accepted audiences and {@code iss} against the accepted issuers. What the token may do is its
 * storage scopes, checked by the door against each path.
 */
public final class WlcgTokenVerifier {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.PS256);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Set<String> issuers;

    private WlcgTokenVerifier(JWKSet keys, List<String> issuers, List<String> audiences) {
        this.issuers = Set.copyOf(issuers);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, new ImmutableJWKSet<>(keys)));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(new HashSet<>(audiences), null,
                Set.of("iss", "exp", "aud"), null));
    }

    /**
     * The verifier for {@code auth.jwt}, or empty when no key set is configured.
     *
     * @throws IllegalArgumentException naming the key when the key set cannot be read, or issuers
     *     or audiences are missing
     */
    public static Optional<WlcgTokenVerifier> from(JwtConfiguration config) {
        if (config.getJwksFile().isEmpty()) {
            return Optional.empty();
        }
        if (config.getIssuers().isEmpty() || config.getAudiences().isEmpty()) {
            throw new IllegalArgumentException("auth.jwt.issuers and auth.jwt.audiences are required with auth.jwt.jwksFile");
        }
        try {
            return Optional.of(new WlcgTokenVerifier(JWKSet.load(Path.of(config.getJwksFile().get()).toFile()),
                    config.getIssuers(), config.getAudiences()));
        } catch (IOException | ParseException e) {
            throw new IllegalArgumentException("auth.jwt.jwksFile: cannot read a JSON Web Key Set from "
                    + config.getJwksFile().get() + " (" + e.getMessage() + ")", e);
        }
    }

    /** Whether a bearer value has the shape of a JWT (three base64url parts), rather than a plain token. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The client a token stands for, or empty when it is not a valid token of an accepted issuer for us. */
    public Optional<WlcgClient> verify(String token) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            if (!issuers.contains(claims.getIssuer())) {
                return Optional.empty();
            }
            return Optional.of(new WlcgClient("jwt:" + claims.getIssuer() + "#" + claims.getSubject(),
                    StorageScope.parse(claims.getStringClaim("scope"))));
        } catch (ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            return Optional.empty();
        }
    }
}
